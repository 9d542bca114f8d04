package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pods/binding over HTTP, as a custom scheduler uses it: a pod that names another scheduler is left alone by
 * default-scheduler and bound by a POST of a Binding.
 */
class PodBindingE2ETest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NS = "binding-e2e";
    private static final String JSON = "application/json";

    @BeforeAll
    static void namespace() throws InterruptedException {
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                .post("/api/v1/namespaces");
        // pods need the namespace's default service account, which its controller creates (later on a loaded machine)
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (Http.admin().get("/api/v1/namespaces/" + NS + "/serviceaccounts/default").statusCode() != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static JsonNode json(Response r) throws Exception {
        return MAPPER.readTree(r.asByteArray());
    }

    private static void createPod(String name) {
        Response r = Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"schedulerName\":\"my-scheduler\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}")
                .post("/api/v1/namespaces/" + NS + "/pods");
        assertEquals(201, r.statusCode(), r.asString());
    }

    private static Response bind(String pod, String node) {
        return Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + pod
                        + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"" + node + "\"}}")
                .post("/api/v1/namespaces/" + NS + "/pods/" + pod + "/binding");
    }

    @Test
    void aBindingAssignsThePodAndASecondOneIsAConflict() throws Exception {
        createPod("custom");
        Response bound = bind("custom", "w2-k8s");
        assertEquals(201, bound.statusCode(), bound.asString());
        assertEquals(MAPPER.readTree("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":201}"),
                json(bound));

        JsonNode pod = json(Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/pods/custom"));
        assertEquals("w2-k8s", pod.path("spec").path("nodeName").asText());
        JsonNode scheduled = null;
        for (JsonNode c : pod.path("status").path("conditions")) if (c.path("type").asText().equals("PodScheduled")) scheduled = c;
        assertTrue(scheduled != null, pod::toString);
        assertEquals("True", scheduled.path("status").asText());

        Response again = bind("custom", "w1-k8s");
        assertEquals(409, again.statusCode());
        assertEquals(MAPPER.readTree("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Operation cannot be fulfilled on pods/binding \\\"custom\\\": pod custom is already assigned to node \\\"w2-k8s\\\"\","
                + "\"reason\":\"Conflict\",\"details\":{\"name\":\"custom\",\"kind\":\"pods/binding\"},\"code\":409}"), json(again));
    }

    @Test
    void aBindingForAMissingPodIsNotFoundAndOnlyPostIsServed() throws Exception {
        Response missing = bind("nope", "w1-k8s");
        assertEquals(404, missing.statusCode());
        assertEquals("pods \"nope\" not found", json(missing).path("message").asText());
        createPod("get-me");
        assertEquals(405, Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/pods/get-me/binding").statusCode());
    }
}
