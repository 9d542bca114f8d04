package kubefake.server.http;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How the HTTPS front end bounds its clients, with kube-apiserver's values.
 * <ul>
 * <li>{@code requestTimeout}: {@code --request-timeout} (60 s): a request that is not long-running gets a 504 when its
 * answer is not written by then; a client's {@code ?timeout=} may shorten it.</li>
 * <li>{@code minRequestTimeout}: {@code --min-request-timeout} (1,800 s): a watch without {@code timeoutSeconds} ends
 * after this times a random factor in [1, 2).</li>
 * <li>{@code readHeaderTimeout}: Go's {@code http.Server.ReadHeaderTimeout} as kube-apiserver sets it (32 s): the TLS
 * handshake, and a request's line and headers from their first byte, must arrive within it (slowloris).</li>
 * <li>{@code idleTimeout}: {@code http.Server.IdleTimeout} (90 s): a keep-alive connection waiting for its next request
 * is closed after it.</li>
 * <li>{@code maxRequestsInFlight} / {@code maxMutatingRequestsInFlight}: {@code --max-requests-inflight} (400) and
 * {@code --max-mutating-requests-inflight} (200); above them a request gets 429. Zero means no limit.</li>
 * <li>{@code maxConnections}: open connections beyond this are closed as soon as they are accepted (kube-apiserver has
 * no such cap; here it keeps the process within its file descriptors). By default the descriptor limit less 1,024.</li>
 * </ul>
 * Dead peers are found by TCP keep-alive probes after {@link #TCP_KEEPALIVE_IDLE} of silence, as kube-apiserver's
 * listener sets them.
 */
public record ServingOptions(Duration requestTimeout, Duration minRequestTimeout, Duration readHeaderTimeout,
                             Duration idleTimeout, int maxRequestsInFlight, int maxMutatingRequestsInFlight,
                             int maxConnections) {
    /** Go's {@code http.Server.MaxHeaderBytes} as kube-apiserver sets it; Go reads 4 KiB more before refusing. */
    public static final int MAX_HEADER_BYTES = 1 << 20;
    /** kube-apiserver's listener: keep-alive probes after 3 minutes idle (Go then probes every 15 s, 9 times). */
    public static final Duration TCP_KEEPALIVE_IDLE = Duration.ofMinutes(3);
    static final Duration TCP_KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
    static final int TCP_KEEPALIVE_COUNT = 9;

    public ServingOptions {
        positive(requestTimeout, "request timeout");
        positive(minRequestTimeout, "min request timeout");
        positive(readHeaderTimeout, "read header timeout");
        positive(idleTimeout, "idle timeout");
        if (maxRequestsInFlight < 0 || maxMutatingRequestsInFlight < 0) {
            throw new IllegalArgumentException("in-flight limits cannot be negative");
        }
        if (maxConnections < 1) throw new IllegalArgumentException("max connections must be at least 1");
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive");
    }

    public static ServingOptions defaults() {
        return new ServingOptions(Duration.ofSeconds(60), Duration.ofSeconds(1800), Duration.ofSeconds(32),
                Duration.ofSeconds(90), 400, 200, defaultMaxConnections());
    }

    /** The process's file descriptor limit less room for its own files (jars, logs), or 10,000 where it is unknown. */
    static int defaultMaxConnections() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long fds = unix.getMaxFileDescriptorCount();
            return (int) Math.max(64, Math.min(Integer.MAX_VALUE, fds - 1024));
        }
        return 10_000;
    }

    public ServingOptions withRequestTimeout(Duration d) {
        return new ServingOptions(d, minRequestTimeout, readHeaderTimeout, idleTimeout, maxRequestsInFlight,
                maxMutatingRequestsInFlight, maxConnections);
    }

    public ServingOptions withMinRequestTimeout(Duration d) {
        return new ServingOptions(requestTimeout, d, readHeaderTimeout, idleTimeout, maxRequestsInFlight,
                maxMutatingRequestsInFlight, maxConnections);
    }

    public ServingOptions withReadHeaderTimeout(Duration d) {
        return new ServingOptions(requestTimeout, minRequestTimeout, d, idleTimeout, maxRequestsInFlight,
                maxMutatingRequestsInFlight, maxConnections);
    }

    public ServingOptions withIdleTimeout(Duration d) {
        return new ServingOptions(requestTimeout, minRequestTimeout, readHeaderTimeout, d, maxRequestsInFlight,
                maxMutatingRequestsInFlight, maxConnections);
    }

    public ServingOptions withMaxRequestsInFlight(int n) {
        return new ServingOptions(requestTimeout, minRequestTimeout, readHeaderTimeout, idleTimeout, n,
                maxMutatingRequestsInFlight, maxConnections);
    }

    public ServingOptions withMaxMutatingRequestsInFlight(int n) {
        return new ServingOptions(requestTimeout, minRequestTimeout, readHeaderTimeout, idleTimeout, maxRequestsInFlight,
                n, maxConnections);
    }

    public ServingOptions withMaxConnections(int n) {
        return new ServingOptions(requestTimeout, minRequestTimeout, readHeaderTimeout, idleTimeout, maxRequestsInFlight,
                maxMutatingRequestsInFlight, n);
    }
}
