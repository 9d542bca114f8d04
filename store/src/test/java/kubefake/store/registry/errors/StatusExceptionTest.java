package kubefake.store.registry.errors;

import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.request.UserInfo;
import com.fasterxml.jackson.databind.JsonNode;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recorded error of the real server, rebuilt with the factories and compared as JSON trees. */
class StatusExceptionTest {

    private static void assertSameStatus(String recording, StatusException e) {
        JsonNode expected = Reference.json("http/" + recording);
        assertEquals(expected, e.toStatusJson(), recording);
        // Same key order as the real server, too.
        assertEquals(List.copyOf(fieldNames(expected)), List.copyOf(fieldNames(e.toStatusJson())));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void notFound() {
        assertSameStatus("err-notfound.json", StatusException.notFound("", "pods", "nope"));
        assertSameStatus("err-no-namespace.json", StatusException.notFound("", "namespaces", "nosuchns"));
    }

    @Test
    void notFoundInAGroupQualifiesTheResource() {
        StatusException e = StatusException.notFound("apps", "deployments", "web");
        assertEquals("deployments.apps \"web\" not found", e.message());
        assertEquals("apps", e.toStatusJson().path("details").path("group").asText());
    }

    @Test
    void alreadyExistsAndConflict() {
        assertSameStatus("err-already-exists.json", StatusException.alreadyExists("", "configmaps", "cfg"));
        assertSameStatus("err-conflict.json", StatusException.conflictModified("", "configmaps", "cfg"));
        assertEquals("Operation cannot be fulfilled on deployments.apps \"nginx\": the object has been modified; "
                        + "please apply your changes to the latest version and try again",
                StatusException.conflictModified("apps", "deployments", "nginx").message());
    }

    @Test
    void invalidWithOneCause() {
        String msg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
                + " and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        Cause cause = FieldError.invalid(FieldPath.of("metadata", "name"), "Bad_Name", msg).toCause();
        assertSameStatus("err-invalid-name.json", StatusException.invalid("", "ConfigMap", "Bad_Name", List.of(cause)));
        assertSameStatus("err-invalid-pod.json", StatusException.invalid("", "Pod", "p",
                List.of(FieldError.required(FieldPath.of("spec").child("containers").index(0).child("image"), "")
                        .toCause())));
    }

    @Test
    void invalidWithSeveralCausesBracketsThemAndDropsRepeats() {
        Cause a = FieldError.required(FieldPath.of("spec", "selector"), "").toCause();
        Cause b = FieldError.invalid(FieldPath.of("spec", "replicas"), -1L, "must be greater than or equal to 0")
                .toCause();
        StatusException e = StatusException.invalid("apps", "Deployment", "web", List.of(a, b, a));
        assertEquals("Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.replicas: Invalid "
                + "value: -1: must be greater than or equal to 0]", e.message());
        assertEquals(3, e.toStatusJson().path("details").path("causes").size());
        assertEquals("Deployment", e.toStatusJson().path("details").path("kind").asText());
        assertEquals(422, e.code());
    }

    @Test
    void strictDecodingErrorHasNoKindOrName() {
        JsonNode recorded = Reference.http("err-strict-unknown-field");
        String message = recorded.path("details").path("causes").get(0).path("message").asText();
        String value = message.substring("Invalid value: ".length(), message.indexOf("}}\"") + 3);
        Cause cause = FieldError.invalid(FieldPath.of("patch"), new GoLiteral(value),
                "strict decoding error: unknown field \"spec\"").toCause();
        assertSameStatus("err-strict-unknown-field.json", StatusException.invalid("", "", "", List.of(cause)));
    }

    @Test
    void methodNotAllowedUnknownResourceAndMediaType() {
        assertSameStatus("err-method-not-allowed.json", StatusException.methodNotAllowed());
        assertSameStatus("err-unknown-resource.json", StatusException.resourceNotFound());
        assertSameStatus("err-unsupported-media.json", StatusException.unsupportedMediaType());
        assertEquals("delete is not supported on resources of kind \"bindings\"",
                StatusException.methodNotSupported("", "bindings", "delete").message());
    }

    @Test
    void forbiddenByTheAuthorizer() {
        AuthorizationAttributes anonymous = AuthorizationAttributes.resource(UserInfo.ANONYMOUS, "list", "", "pods", "", "", "");
        assertSameStatus("err-unauthorized.json", Authorizer.forbidden(anonymous, Decision.deny("")));
        assertEquals("User \"jane\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"ref\"",
                AuthorizationAttributes.resource(new UserInfo("jane", "", List.of()), "get", "", "pods", "log", "ref", "x")
                        .forbiddenMessage());
    }

    @Test
    void tooOldResourceVersionIsTheWatchErrorObject() {
        JsonNode event = Reference.http("err-too-old-rv");
        assertEquals(event.path("object"), StatusException.tooOldResourceVersion(1, 2).toStatusJson());
    }

    @Test
    void otherFactories() {
        assertEquals("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}",
                StatusException.unauthorized().toStatusJson().toString());
        StatusException internal = StatusException.internal("boom");
        assertEquals("Internal error occurred: boom", internal.message());
        assertEquals("boom", internal.toStatusJson().path("details").path("causes").get(0).path("message").asText());
        assertEquals(406, StatusException.notAcceptable(List.of("application/json")).code());
        assertEquals(429, StatusException.tooManyRequests("slow down", 1).code());
        assertEquals(1, StatusException.tooManyRequests("slow down", 1).toStatusJson().path("details")
                .path("retryAfterSeconds").asInt());
        assertEquals("ServiceUnavailable", StatusException.serviceUnavailable("x").reason());
        assertEquals("BadRequest", StatusException.badRequest("x").reason());
        assertEquals("Gone", StatusException.gone("x").reason());
    }

    @Test
    void registryAndAdmissionErrors() throws Exception {
        StatusException terminating = StatusException.namespaceTerminating("", "configmaps", "cfg", "ref");
        assertEquals("configmaps \"cfg\" is forbidden: unable to create new content in namespace ref because it is "
                + "being terminated", terminating.message());
        assertEquals("NamespaceTerminating", terminating.toStatusJson().path("details").path("causes").get(0)
                .path("reason").asText());
        assertEquals("pods \"p\" is forbidden: error looking up service account ref/robot: serviceaccount \"robot\" "
                + "not found", StatusException.serviceAccountNotFound("p", "ref", "robot").message());
        assertEquals("the name of the object (a) does not match the name on the URL (b)",
                StatusException.nameMismatch("a", "b").message());
        assertEquals("strict decoding error: unknown field \"spec\", unknown field \"data.x\"",
                StatusException.strictDecoding(List.of("spec", "data.x")).message());
        // The Warn mode's header, as recorded.
        String head = Reference.text("http/warn-unknown-field.head");
        assertTrue(head.contains("warning: " + StatusException.warningHeader(StatusException.unknownFieldWarning("spec"))));
    }
}
