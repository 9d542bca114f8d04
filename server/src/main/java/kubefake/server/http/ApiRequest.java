package kubefake.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import kubefake.store.registry.request.UserInfo;
import kubefake.store.registry.request.Warnings;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the API layer sees it: decoded path and query, headers, the whole body, the user, and the
 * warnings its answer will carry.
 */
public record ApiRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers,
                         byte[] body, UserInfo user, Warnings warnings) {

    /** A request that has collected no warnings yet. */
    public ApiRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers, byte[] body,
                      UserInfo user) {
        this(method, path, query, headers, body, user, new Warnings());
    }

    /** The same request made by another user (impersonation): its warnings are the same request's. */
    public ApiRequest as(UserInfo other) {
        return new ApiRequest(method, path, query, headers, body, other, warnings);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String param(String name, String fallback) {
        String v = param(name);
        return v == null ? fallback : v;
    }

    /** A header's first value, or null (a name from {@code HttpHeaderNames} is looked up without hashing it again). */
    public String header(CharSequence name) {
        return headers.get(name);
    }
}
