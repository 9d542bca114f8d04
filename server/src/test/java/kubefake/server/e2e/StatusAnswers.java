package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helper: JSON answers and the Status the API server answers errors with. */
final class StatusAnswers {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusAnswers() {
    }

    static JsonNode json(Response r) {
        try {
            return MAPPER.readTree(r.asByteArray());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.asString(), e);
        }
    }

    /** A Status answer in JSON: code, reason (absent when "") and message. */
    static JsonNode assertStatus(Response r, int code, String reason, String message) {
        assertEquals(code, r.statusCode(), r.asString());
        assertEquals("application/json", r.contentType());
        JsonNode status = json(r);
        assertEquals("Status", status.path("kind").asText());
        assertEquals("Failure", status.path("status").asText());
        assertEquals(code, status.path("code").asInt());
        assertEquals(reason.isEmpty(), !status.has("reason"), status.toString());
        assertEquals(reason, status.path("reason").asText(""));
        assertEquals(message, status.path("message").asText());
        return status;
    }
}
