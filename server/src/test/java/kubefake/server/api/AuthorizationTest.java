package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import kubefake.server.ServerVersion;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.server.http.RequestTarget;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front end asks one authorizer about every request, and the access reviews report that same authorizer's answer. */
class AuthorizationTest {
    private static final UserInfo ALICE = new UserInfo("alice", "", List.of("developers", "system:authenticated"));

    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());

    private ApiRouter router(Authorizer authorizer) {
        return new ApiRouter(registry, Clock.systemUTC(), ServerVersion.info(), () -> "127.0.0.1:6443", authorizer);
    }

    private static ApiRequest request(HttpMethod method, String uri, String body) throws Exception {
        RequestTarget t = RequestTarget.parse(uri);
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Accept", "application/json");
        return new ApiRequest(method, t.path(), t.query(), headers, body.getBytes(StandardCharsets.UTF_8), ALICE);
    }

    /** Serves the request; a refusal comes back as the reply the front end renders for it. */
    private static Reply serve(ApiRouter router, ApiRequest req) throws Exception {
        List<Reply> replies = new ArrayList<>();
        HttpExchange exchange = new HttpExchange() {
            @Override
            public void reply(Reply reply) {
                replies.add(reply);
            }

            @Override
            public ChannelHandlerContext context() {
                return null;
            }

            @Override
            public boolean keepAlive() {
                return true;
            }

            @Override
            public Duration watchTimeout(long timeoutSeconds) {
                return Duration.ofSeconds(timeoutSeconds);
            }
        };
        try {
            router.route(req).handler().serve(exchange);
        } catch (StatusException e) {
            return Reply.error(e);
        }
        return replies.get(0);
    }

    @Test
    void aDenyingAuthorizerYieldsTheRealForbiddenStatus() throws Exception {
        Reply reply = serve(router(a -> Decision.deny("")), request(HttpMethod.GET, "/api/v1/namespaces/default/pods", ""));
        assertEquals(403, reply.status());
        assertEquals("nosniff", reply.headers().get("X-Content-Type-Options"));
        JsonNode status = Json.MAPPER.readTree(reply.body());
        assertEquals(Json.MAPPER.readTree("""
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"pods is forbidden: User \\"alice\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"default\\"",
                 "reason":"Forbidden","details":{"kind":"pods"},"code":403}"""), status);

        Reply named = serve(router(a -> Decision.deny("no reason to")),
                request(HttpMethod.GET, "/apis/apps/v1/namespaces/lab/deployments/web/scale", ""));
        assertEquals("deployments.apps \"web\" is forbidden: User \"alice\" cannot get resource \"deployments/scale\" in "
                + "API group \"apps\" in the namespace \"lab\": no reason to", Json.MAPPER.readTree(named.body()).path("message").asText());
        Reply path = serve(router(a -> Decision.deny("")), request(HttpMethod.GET, "/version", ""));
        assertEquals("forbidden: User \"alice\" cannot get path \"/version\"", Json.MAPPER.readTree(path.body()).path("message").asText());
    }

    @Test
    void everyRequestIsAuthorizedOnceWithItsAttributes() throws Exception {
        List<AuthorizationAttributes> asked = new ArrayList<>();
        ApiRouter router = router(a -> {
            asked.add(a);
            return Decision.allow("");
        });
        serve(router, request(HttpMethod.GET, "/api/v1/namespaces/default/configmaps?watch=0", ""));
        serve(router, request(HttpMethod.DELETE, "/apis/apps/v1/namespaces/lab/replicasets/web", ""));
        serve(router, request(HttpMethod.PATCH, "/api/v1/nodes/w1-k8s/status", "{}"));
        serve(router, request(HttpMethod.GET, "/healthz", ""));
        assertEquals(List.of(
                AuthorizationAttributes.resource(ALICE, "list", "", "configmaps", "", "default", ""),
                AuthorizationAttributes.resource(ALICE, "delete", "apps", "replicasets", "", "lab", "web"),
                AuthorizationAttributes.resource(ALICE, "patch", "", "nodes", "status", "", "w1-k8s"),
                AuthorizationAttributes.nonResource(ALICE, "get", "/healthz")), asked);
    }

    @Test
    void kubefakesNodeSwitchesAreAuthorizedToo() throws Exception {
        List<AuthorizationAttributes> asked = new ArrayList<>();
        ApiRouter router = router(a -> {
            asked.add(a);
            return Decision.allow("");
        });
        Reply reply = serve(router, request(HttpMethod.POST, "/kubefake/v1/nodes/w1-k8s/kubelet/stop", ""));
        assertEquals(List.of(AuthorizationAttributes.nonResource(ALICE, "post", "/kubefake/v1/nodes/w1-k8s/kubelet/stop")), asked);
        // allowed by the authorizer, still only for administrators, as a node's shell
        assertEquals(403, reply.status());
        assertEquals("forbidden: User \"alice\" cannot post path \"/kubefake/v1/nodes/w1-k8s/kubelet/stop\"",
                Json.MAPPER.readTree(reply.body()).path("message").asText());
    }

    @Test
    void accessReviewsReportTheSameAuthorizersAnswer() throws Exception {
        // alice may get pods, and ask about herself; nothing else
        Authorizer onlyGetPods = a -> {
            boolean review = a.resource().equals("selfsubjectaccessreviews") || a.resource().equals("subjectaccessreviews");
            boolean getPods = a.resource().equals("pods") && a.verb().equals("get") && a.user().name().equals("alice");
            return getPods || review ? Decision.allow("") : Decision.deny("");
        };
        ApiRouter router = router(onlyGetPods);
        JsonNode mayGet = review(router, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                "\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\",\"resource\":\"pods\"}");
        assertTrue(mayGet.path("status").path("allowed").asBoolean());
        JsonNode mayList = review(router, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                "\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"list\",\"resource\":\"pods\"}");
        assertFalse(mayList.path("status").path("allowed").asBoolean());
        // the front end refuses exactly what the review says is refused
        assertEquals(403, serve(router, request(HttpMethod.GET, "/api/v1/namespaces/default/pods", "")).status());
        JsonNode bob = review(router, "subjectaccessreviews", "SubjectAccessReview",
                "\"user\":\"bob\",\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\",\"resource\":\"pods\"}");
        assertFalse(bob.path("status").path("allowed").asBoolean(), "asked for bob, not for the caller");
    }

    private static JsonNode review(ApiRouter router, String resource, String kind, String spec) throws Exception {
        Reply reply = serve(router, request(HttpMethod.POST, "/apis/authorization.k8s.io/v1/" + resource,
                "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"" + kind + "\",\"spec\":{" + spec + "}}"));
        assertEquals(201, reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
        return Json.MAPPER.readTree(reply.body());
    }

    @Test
    void untilRbacEveryAuthenticatedUserMayDoEverythingAndAnonymousOnlyReadHealth() throws Exception {
        ApiRouter router = new ApiRouter(registry, Clock.systemUTC(), ServerVersion.info(), () -> "127.0.0.1:6443");
        JsonNode review = review(router, "subjectaccessreviews", "SubjectAccessReview",
                "\"user\":\"system:anonymous\",\"nonResourceAttributes\":{\"verb\":\"get\",\"path\":\"/healthz\"}");
        assertTrue(review.path("status").path("allowed").asBoolean());
        JsonNode pods = review(router, "subjectaccessreviews", "SubjectAccessReview",
                "\"user\":\"system:anonymous\",\"resourceAttributes\":{\"verb\":\"list\",\"resource\":\"pods\"}");
        assertFalse(pods.path("status").path("allowed").asBoolean());
        assertTrue(review(router, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                "\"resourceAttributes\":{\"verb\":\"delete\",\"resource\":\"nodes\"}").path("status").path("allowed").asBoolean());
    }
}
