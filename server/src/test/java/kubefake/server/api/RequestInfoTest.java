package kubefake.server.api;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What a resource URL names, as apiserver's RequestInfoFactory reads it. */
class RequestInfoTest {
    @Test
    void namespacedObjectAndItsSubresource() {
        assertEquals(new RequestInfo("", "v1", "ns", "pods", "p", "", "get"),
                RequestInfo.parse(HttpMethod.GET, "/api/v1/namespaces/ns/pods/p", false));
        assertEquals(new RequestInfo("apps", "v1", "ns", "deployments", "d", "scale", "update"),
                RequestInfo.parse(HttpMethod.PUT, "/apis/apps/v1/namespaces/ns/deployments/d/scale", false));
    }

    @Test
    void runsOfSlashesCountAsOneAndTrailingOnesAreDropped() {
        assertEquals(new RequestInfo("", "v1", "ns", "configmaps", "", "", "create"),
                RequestInfo.parse(HttpMethod.POST, "//api//v1/namespaces/ns/configmaps/", false));
    }

    @Test
    void theNamespaceItselfAndCollections() {
        assertEquals(new RequestInfo("", "v1", "", "namespaces", "ns", "finalize", "update"),
                RequestInfo.parse(HttpMethod.PUT, "/api/v1/namespaces/ns/finalize", false));
        assertEquals(new RequestInfo("", "v1", "", "pods", "", "", "watch"),
                RequestInfo.parse(HttpMethod.GET, "/api/v1/pods", true));
        assertEquals(new RequestInfo("", "v1", "ns", "pods", "p", "", "watch"),
                RequestInfo.parse(HttpMethod.GET, "/api/v1/watch/namespaces/ns/pods/p", false));
        assertEquals(new RequestInfo("", "v1", "ns", "pods", "", "", "deletecollection"),
                RequestInfo.parse(HttpMethod.DELETE, "/api/v1/namespaces/ns/pods", false));
    }

    @Test
    void pathsThatNameNoResource() {
        assertNull(RequestInfo.parse(HttpMethod.GET, "/api/v1", false));
        assertNull(RequestInfo.parse(HttpMethod.GET, "/apis/apps/v1/", false));
        assertNull(RequestInfo.parse(HttpMethod.GET, "/", false));
        assertNull(RequestInfo.parse(HttpMethod.GET, "", false));
        assertNull(RequestInfo.parse(HttpMethod.GET, "/api/v1/watch", false));
    }
}
