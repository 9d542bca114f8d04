package kubefake.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.encoding.ContentNegotiation;
import kubefake.server.encoding.EndpointRestrictions;
import kubefake.server.encoding.MediaType;
import kubefake.server.encoding.Negotiated;
import kubefake.server.encoding.Serializer;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A complete (non-streaming) HTTP answer. An error reply keeps its {@link StatusException} so that the connection
 * writes the Status in the media type the request negotiated ({@link #negotiated}); its body until then is JSON.
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers, StatusException error) {

    public Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null);
    }

    /** A reply of any media type, without extra headers yet. */
    public static Reply of(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, new LinkedHashMap<>());
    }

    /** A reply whose body is JSON already written in full (nothing is added to it). */
    public static Reply json(int status, byte[] body) {
        return new Reply(status, "application/json", body, new LinkedHashMap<>());
    }

    public static Reply text(int status, String body) {
        return new Reply(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), withNoSniff());
    }

    /**
     * The Status of {@code e}, as JSON until {@link #negotiated} picks the request's media type. Authorization
     * refusals (403) carry {@code X-Content-Type-Options: nosniff} as from the real server's authorization filter; a
     * retry delay becomes {@code Retry-After}, as apiserver's {@code ErrorNegotiated} writes it.
     */
    public static Reply error(StatusException e) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.code() == 403) headers.put("X-Content-Type-Options", "nosniff");
        if (e.details() != null && e.details().retryAfterSeconds() > 0) {
            headers.put("Retry-After", Integer.toString(e.details().retryAfterSeconds()));
        }
        return new Reply(e.code(), MediaType.JSON.contentType(), Serializer.json(Json.bytes(e.toStatusJson()), false),
                headers, e);
    }

    /**
     * An error reply with its Status written as the request's Accept header asks (any media type, no conversion); when
     * nothing acceptable is offered, the Status goes as indented JSON ({@code responsewriters.WriteRawJSON}), as the
     * real server answers an error it cannot negotiate. Other replies are returned as they are.
     */
    public Reply negotiated(String accept, boolean pretty) {
        if (error == null) return this;
        ObjectNode status = error.toStatusJson();
        Optional<Negotiated> n = ContentNegotiation.negotiate(accept, EndpointRestrictions.DEFAULT);
        Serializer.Encoded encoded = n.isEmpty()
                ? new Serializer.Encoded(MediaType.JSON.contentType(), Serializer.rawJson(status))
                : Serializer.encode(status, n.get().media(), pretty || n.get().prettyParameter());
        return new Reply(status(), encoded.contentType(), encoded.body(), headers, error);
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
