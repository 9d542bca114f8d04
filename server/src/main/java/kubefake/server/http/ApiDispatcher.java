package kubefake.server.http;

/** Answers requests: with {@link HttpExchange#reply} or by taking over the connection for a stream. */
@FunctionalInterface
public interface ApiDispatcher {
    void handle(ApiRequest request, HttpExchange exchange) throws Exception;
}
