package kubefake.server.http;

/** Told of each request the front end answers: the API server's request metrics. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (request, info, status, elapsedNanos) -> { };

    /**
     * The answer's status is being written, {@code elapsedNanos} after the request was read; {@code info} is the
     * {@link Route#info()} of its route (null when none was found); on an event loop: be quick.
     */
    void answered(ApiRequest request, Object info, int status, long elapsedNanos);
}
