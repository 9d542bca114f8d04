package kubefake.server.http;

/** Finds what answers a request, and what kind of request it is, before it runs. */
@FunctionalInterface
public interface ApiDispatcher {
    Route route(ApiRequest request);
}
