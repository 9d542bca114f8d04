package kubefake.server.http;

/** Told of each request the front end answers: the API server's request metrics. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (request, status, elapsedNanos) -> { };

    /** The answer's status is being written, {@code elapsedNanos} after the request was read; on an event loop: be quick. */
    void answered(ApiRequest request, int status, long elapsedNanos);
}
