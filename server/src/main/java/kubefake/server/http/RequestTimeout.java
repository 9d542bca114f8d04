package kubefake.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * kube-apiserver's request deadline and timeout filters: a request that is not long-running has
 * {@code --request-timeout} from the moment its headers arrived, less if its {@code ?timeout=} asks for less; if its
 * answer has not started by then it gets the filter's 504, and if the answer is still being written the connection is
 * dropped (the real filter aborts the handler). A watch without {@code timeoutSeconds} lasts
 * {@code --min-request-timeout} × [1, 2).
 */
final class RequestTimeout {
    private static final String INVALID_TIMEOUT = "invalid timeout specified in the request URL";
    private static final byte[] TIMED_OUT = timedOutBody();

    private RequestTimeout() {
    }

    /**
     * How long the request may take: the server's limit, or the client's {@code ?timeout=} when positive and shorter
     * (0 or a negative value leave the server's limit). A malformed one is the real 400.
     */
    static long nanos(ApiRequest request, Duration max) {
        String value = request.param("timeout");
        long limit = max.toNanos();
        if (value == null || value.isEmpty()) return limit;
        long asked;
        try {
            asked = GoDurations.parse(value).toNanos();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw StatusException.badRequest(INVALID_TIMEOUT + " - " + e.getMessage());
        }
        return asked > 0 && asked < limit ? asked : limit;
    }

    /** How long a watch lasts: its timeoutSeconds, or when absent or 0 the minimum request timeout × [1, 2). */
    static Duration watch(long timeoutSeconds, Duration minRequestTimeout) {
        if (timeoutSeconds != 0) return Duration.ofSeconds(Math.max(0, timeoutSeconds));
        return Duration.ofNanos((long) (minRequestTimeout.toNanos() * (1 + ThreadLocalRandom.current().nextDouble())));
    }

    /**
     * The timeout filter's 504: it encodes the bare Status (no kind, no apiVersion) with a JSON encoder and sets no
     * Content-Type, so Go's server sniffs text/plain.
     */
    static Reply timedOut() {
        return Reply.of(504, "text/plain; charset=utf-8", TIMED_OUT);
    }

    private static byte[] timedOutBody() {
        ObjectNode status = StatusException.timeout("request did not complete within the allotted timeout", 0).toStatusJson();
        status.remove("kind");
        status.remove("apiVersion");
        String json = new String(Json.bytes(status), StandardCharsets.UTF_8) + "\n";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
