package kubefake.server.api;

import io.netty.handler.codec.http.HttpMethod;
import kubefake.server.http.RequestKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Requests classified as kube-apiserver's filters classify them: its LongRunningRequestCheck (watch and proxy verbs;
 * attach, exec, proxy, log and portforward subresources), APF's exempt probes, and read-only (get, list, watch)
 * versus mutating verbs for the max-in-flight filter.
 */
class RequestKindsTest {

    private static RequestKind resource(HttpMethod method, String path, boolean watch) {
        return RequestKinds.kind(RequestInfo.parse(method, path, watch));
    }

    @Test
    void streamsAreLongRunning() {
        assertEquals(RequestKind.LONG_RUNNING, resource(HttpMethod.GET, "/api/v1/namespaces/a/pods", true));
        assertEquals(RequestKind.LONG_RUNNING, resource(HttpMethod.GET, "/api/v1/watch/namespaces/a/pods/p", false));
        for (String sub : new String[] {"log", "exec", "attach", "portforward", "proxy"}) {
            assertEquals(RequestKind.LONG_RUNNING, resource(HttpMethod.GET, "/api/v1/namespaces/a/pods/p/" + sub, false), sub);
        }
        assertEquals(RequestKind.LONG_RUNNING, resource(HttpMethod.POST, "/api/v1/namespaces/a/pods/p/exec", false));
    }

    @Test
    void verbsDecideReadOnlyOrMutating() {
        assertEquals(RequestKind.READ_ONLY, resource(HttpMethod.GET, "/api/v1/namespaces/a/pods", false));
        assertEquals(RequestKind.READ_ONLY, resource(HttpMethod.GET, "/api/v1/namespaces/a/pods/p", false));
        // a named GET with watch=true is a get in the real RequestInfo
        assertEquals(RequestKind.READ_ONLY, resource(HttpMethod.GET, "/api/v1/namespaces/a/pods/p", true));
        assertEquals(RequestKind.READ_ONLY, resource(HttpMethod.GET, "/apis/apps/v1/namespaces/a/deployments/d/scale", false));
        assertEquals(RequestKind.MUTATING, resource(HttpMethod.POST, "/api/v1/namespaces/a/pods", false));
        assertEquals(RequestKind.MUTATING, resource(HttpMethod.PATCH, "/api/v1/namespaces/a/pods/p/status", false));
        assertEquals(RequestKind.MUTATING, resource(HttpMethod.DELETE, "/api/v1/namespaces/a/pods", false));
        // the self-reviews are creates
        assertEquals(RequestKind.MUTATING, resource(HttpMethod.POST,
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", false));
    }

    @Test
    void probesAreExemptOtherPathsGoByTheirMethod() {
        for (String probe : new String[] {"/healthz", "/livez", "/readyz"}) {
            assertEquals(RequestKind.EXEMPT, RequestKinds.kindOfPath(HttpMethod.GET, probe), probe);
        }
        // APF's probes flow schema names the three paths, for GET, and nothing below them
        assertEquals(RequestKind.READ_ONLY, RequestKinds.kindOfPath(HttpMethod.GET, "/readyz/etcd"));
        assertEquals(RequestKind.READ_ONLY, RequestKinds.kindOfPath(HttpMethod.GET, "/version"));
        assertEquals(RequestKind.READ_ONLY, RequestKinds.kindOfPath(HttpMethod.GET, "/openapi/v3"));
        // outside the resource API the verb is the method: "head" and "post" are not get, list or watch
        assertEquals(RequestKind.MUTATING, RequestKinds.kindOfPath(HttpMethod.HEAD, "/version"));
        assertEquals(RequestKind.MUTATING, RequestKinds.kindOfPath(HttpMethod.POST, "/version"));
    }
}
