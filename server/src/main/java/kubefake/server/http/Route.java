package kubefake.server.http;

/**
 * A request's handler, found before it runs, with the kind of request it is; the front end admits it (in-flight
 * limits, request timeout) before calling {@link Handler#serve}. {@code info} is what the dispatcher read of the
 * request (the API's RequestInfo, or null), handed to the {@link RequestObserver} so that it need not read the request
 * a second time.
 */
public record Route(RequestKind kind, Handler handler, Object info) {

    /** A route the dispatcher read nothing of note from. */
    public Route(RequestKind kind, Handler handler) {
        this(kind, handler, null);
    }

    /** Answers with {@link HttpExchange#reply}, or takes over the connection for a stream (long-running routes). */
    @FunctionalInterface
    public interface Handler {
        void serve(HttpExchange exchange) throws Exception;
    }
}
