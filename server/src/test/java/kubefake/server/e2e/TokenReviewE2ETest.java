package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TokenReviews, as webhook authenticators and kube-rbac-proxy-style sidecars post them: a service account token from
 * {@code kubectl create token} is reviewed to its account (for the API's audience by default, or for the audiences
 * it was made for), a token nobody issued is not authenticated, and a review without a token is the real 400.
 */
class TokenReviewE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode review(Kubectl k, String token, String audiences) throws Exception {
        String body = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\""
                + (audiences == null ? "" : ",\"audiences\":" + audiences) + "}}";
        return JSON.readTree(ok(k.runWithInput(body, "create", "-f", "-", "-o", "json")).out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aServiceAccountTokenIsReviewedToItsAccount(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "tokenreview-" + v.replace(".", "");
        ok(k.run("create", "namespace", ns));
        try {
            ok(k.run("-n", ns, "create", "serviceaccount", "robot"));
            String uid = ok(k.run("-n", ns, "get", "serviceaccount", "robot", "-o", "jsonpath={.metadata.uid}")).out();
            String token = ok(k.run("-n", ns, "create", "token", "robot")).out().strip();

            JsonNode status = review(k, token, null).path("status");
            assertTrue(status.path("authenticated").asBoolean(), status::toString);
            assertEquals("system:serviceaccount:" + ns + ":robot", status.at("/user/username").asText());
            assertEquals(uid, status.at("/user/uid").asText());
            assertEquals(JSON.readTree("[\"system:serviceaccounts\",\"system:serviceaccounts:" + ns + "\",\"system:authenticated\"]"),
                    status.at("/user/groups"));
            assertTrue(status.at("/user/extra/authentication.kubernetes.io~1credential-id/0").asText().startsWith("JTI="), status::toString);
            assertEquals(JSON.readTree("[\"https://kubernetes.default.svc.cluster.local\"]"), status.get("audiences"));

            // a token made for another audience is good for that one only
            String vault = ok(k.run("-n", ns, "create", "token", "robot", "--audience=vault")).out().strip();
            JsonNode forVault = review(k, vault, "[\"vault\",\"other\"]").path("status");
            assertTrue(forVault.path("authenticated").asBoolean(), forVault::toString);
            assertEquals(JSON.readTree("[\"vault\"]"), forVault.get("audiences"));
            JsonNode forApi = review(k, vault, null).path("status");
            assertFalse(forApi.path("authenticated").asBoolean(), forApi::toString);
            assertEquals(JSON.readTree("{}"), forApi.get("user"));

            // once the account is gone its tokens are not
            ok(k.run("-n", ns, "delete", "serviceaccount", "robot"));
            assertFalse(review(k, token, null).path("status").path("authenticated").asBoolean());
        } finally {
            k.run("delete", "namespace", ns, "--wait=false");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void unknownAndMissingTokens(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        JsonNode unknown = review(k, "not-a-token", null);
        assertEquals("TokenReview", unknown.path("kind").asText());
        assertEquals(JSON.readTree("{\"user\":{}}"), unknown.get("status"));

        Kubectl.Result missing = k.runWithInput("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}",
                "create", "-f", "-");
        assertEquals(1, missing.exitCode(), missing::toString);
        assertEquals("Error from server (BadRequest): error when creating \"STDIN\": token is required for TokenReview in authentication\n",
                missing.err());
    }
}
