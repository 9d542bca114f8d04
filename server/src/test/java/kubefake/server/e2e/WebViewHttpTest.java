package kubefake.server.e2e;

import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web view's files on the wire, as a browser without credentials gets them: the login page and its scripts are
 * public (they hold no cluster data), every API call still needs credentials; no path under {@code /ui/} reaches a
 * file outside the web view's folder.
 */
class WebViewHttpTest {

    private static RawHttps.Response get(String target, String... headers) throws IOException {
        return request("GET", target, headers);
    }

    private static RawHttps.Response request(String method, String target, String... headers) throws IOException {
        try (RawHttps c = RawHttps.connect(TestCluster.get())) {
            StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n");
            for (String h : headers) r.append(h).append("\r\n");
            c.send(r.append("\r\n").toString());
            return c.read();
        }
    }

    @Test
    void anUnauthenticatedVisitorGetsTheLoginPageButNoApiAnswer() throws IOException {
        RawHttps.Response page = get("/ui/");
        assertEquals(200, page.status(), page::head);
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertTrue(page.body().contains("<form id=\"login-form\">"), page.body());
        assertTrue(page.header("Content-Security-Policy").startsWith("default-src 'self';"), page::head);
        assertEquals("nosniff", page.header("X-Content-Type-Options"));

        RawHttps.Response pods = get("/api/v1/pods");
        assertEquals(403, pods.status());
        assertEquals("pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" at the"
                + " cluster scope", Json.MAPPER.readTree(pods.body()).path("message").asText());
        assertEquals(401, get("/ui/", "Authorization: Bearer not-a-token").status(), "a bad token is refused everywhere");
    }

    @Test
    void theFolderWithoutItsSlashRedirectsToIt() throws IOException {
        RawHttps.Response r = get("/ui");
        assertEquals(301, r.status());
        assertEquals("/ui/", r.header("Location"));
    }

    @Test
    void scriptsAndStylesGoWithTheirTypesAndAreRevalidatedByTheirEtag() throws IOException {
        RawHttps.Response script = get("/ui/app.js");
        assertEquals(200, script.status());
        assertEquals("text/javascript; charset=utf-8", script.header("Content-Type"));
        assertEquals("no-cache", script.header("Cache-Control"));
        assertTrue(script.body().contains("import { Api, ApiError } from './api.js';"));
        assertEquals("text/css; charset=utf-8", get("/ui/style.css").header("Content-Type"));
        assertEquals("image/svg+xml", get("/ui/favicon.svg").header("Content-Type"));

        String etag = script.header("ETag");
        assertNotNull(etag);
        RawHttps.Response again = get("/ui/app.js", "If-None-Match: " + etag);
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals(200, get("/ui/app.js", "If-None-Match: \"other\"").status());
    }

    @Test
    void aFileTheWebViewDoesNotHaveIsThePlain404() throws IOException {
        RawHttps.Response r = get("/ui/nothing-here.js");
        assertEquals(404, r.status());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals("404 page not found\n", r.body());
    }

    @Test
    void onlyGetAndHeadAreServed() throws IOException {
        RawHttps.Response r = request("POST", "/ui/index.html");
        assertEquals(405, r.status());
        assertEquals("MethodNotAllowed", Json.MAPPER.readTree(r.body()).path("reason").asText());
    }

    /** Files that exist beside the web view's folder in the jar: no spelling of a path under /ui/ reaches them. */
    @ParameterizedTest
    @ValueSource(strings = {
            "/ui/../rbac/bootstrap-policy.txt",
            "/ui/%2e%2e/rbac/bootstrap-policy.txt",
            "/ui/%2E%2E%2Frbac%2Fbootstrap-policy.txt",
            "/ui/..%2f..%2fkubefake/rbac/bootstrap-policy.txt",
            "/ui/..%5c..%5ckubefake%5crbac%5cbootstrap-policy.txt",
            "/ui/./../rbac/bootstrap-policy.txt",
            "/ui//kubefake/rbac/bootstrap-policy.txt",
            "/ui/../../kubefake/server/KubefakeCluster.class",
            "/ui/%2e%2e/%2e%2e/kubefake/server/KubefakeCluster.class",
            "/ui/../../../../../../etc/passwd",
            "/ui/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/ui/index.html%00.js",
            "/ui/.",
            "/ui/..",
    })
    void noPathUnderTheWebViewLeavesItsFolder(String target) throws IOException {
        // the files are there to be found: only the web view's own rules keep them out
        assertNotNull(WebViewHttpTest.class.getClassLoader().getResource("kubefake/rbac/bootstrap-policy.txt"));
        RawHttps.Response r = get(target);
        assertTrue(r.status() == 404 || r.status() == 400, target + " → " + r.statusLine());
        assertTrue(r.body().equals("404 page not found\n") || r.body().equals("400 Bad Request"), r.body());
    }
}
