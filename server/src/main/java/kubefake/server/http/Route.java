package kubefake.server.http;

/**
 * A request's handler, found before it runs, with the kind of request it is; the front end admits it (in-flight
 * limits, request timeout) before calling {@link Handler#serve}.
 */
public record Route(RequestKind kind, Handler handler) {

    /** Answers with {@link HttpExchange#reply}, or takes over the connection for a stream (long-running routes). */
    @FunctionalInterface
    public interface Handler {
        void serve(HttpExchange exchange) throws Exception;
    }
}
