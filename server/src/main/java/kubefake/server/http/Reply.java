package kubefake.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A complete (non-streaming) HTTP answer. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers, List<String> warnings) {

    public Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, new ArrayList<>());
    }

    /** Adds the texts as `Warning: 299 - "<text>"` headers (kubectl prints each as "Warning: <text>"). */
    public Reply withWarnings(List<String> texts) {
        warnings.addAll(texts);
        return this;
    }

    /** A reply of any media type, without extra headers yet. */
    public static Reply of(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, new LinkedHashMap<>());
    }

    public static Reply json(int status, byte[] body) {
        return new Reply(status, "application/json", body, new LinkedHashMap<>());
    }

    public static Reply json(int status, JsonNode body) {
        return json(status, Json.bytes(body));
    }

    public static Reply text(int status, String body) {
        return new Reply(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), withNoSniff());
    }

    public static Reply error(StatusException e) {
        Reply r = json(e.code(), e.toStatusJson());
        r.headers().put("X-Content-Type-Options", "nosniff");
        return r;
    }

    public Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    private static Map<String, String> withNoSniff() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        return h;
    }
}
