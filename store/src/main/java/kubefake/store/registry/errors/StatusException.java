package kubefake.store.registry.errors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one error type of kubefake: it carries a Kubernetes {@code Status} (code, reason, message, details) and is
 * thrown anywhere, then rendered once by the HTTP layer with {@link #toStatusJson()}. The static factories
 * reproduce the messages of apimachinery's {@code api/errors} package word for word.
 */
public class StatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final transient StatusDetails details;

    /** A Status error; {@code details} may be null (then no {@code details} key is rendered). */
    public StatusException(int code, String reason, String message, StatusDetails details) {
        super(message);
        this.code = code;
        this.reason = reason == null ? "" : reason;
        this.details = details;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The Status message, as shown verbatim by kubectl. */
    public String message() {
        return getMessage();
    }

    /** The details, or null when the Status has none. */
    public StatusDetails details() {
        return details;
    }

    /**
     * The Status object exactly as the real server serializes it: {@code kind, apiVersion, metadata, status,
     * message, reason, details, code} in that order, empty fields omitted.
     */
    public ObjectNode toStatusJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode status = f.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        if (!getMessage().isEmpty()) {
            status.put("message", getMessage());
        }
        if (!reason.isEmpty()) {
            status.put("reason", reason);
        }
        if (details != null) {
            status.set("details", detailsJson(details));
        }
        if (code != 0) {
            status.put("code", code);
        }
        return status;
    }

    private static ObjectNode detailsJson(StatusDetails d) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        putIfNotEmpty(n, "name", d.name());
        putIfNotEmpty(n, "group", d.group());
        putIfNotEmpty(n, "kind", d.kind());
        putIfNotEmpty(n, "uid", d.uid());
        if (!d.causes().isEmpty()) {
            ArrayNode causes = n.putArray("causes");
            for (Cause c : d.causes()) {
                ObjectNode cn = causes.addObject();
                putIfNotEmpty(cn, "reason", c.reason());
                putIfNotEmpty(cn, "message", c.message());
                putIfNotEmpty(cn, "field", c.field());
            }
        }
        if (d.retryAfterSeconds() != 0) {
            n.put("retryAfterSeconds", d.retryAfterSeconds());
        }
        return n;
    }

    private static void putIfNotEmpty(ObjectNode n, String key, String value) {
        if (value != null && !value.isEmpty()) {
            n.put(key, value);
        }
    }

    /** {@code schema.GroupResource.String()}: {@code pods}, {@code deployments.apps}. */
    public static String qualified(String group, String resourceOrKind) {
        return group == null || group.isEmpty() ? resourceOrKind : resourceOrKind + "." + group;
    }

    // ---- factories, one per apimachinery constructor ----

    /** 404 NotFound: {@code pods "x" not found}, {@code deployments.apps "web" not found}. */
    public static StatusException notFound(String group, String resource, String name) {
        return new StatusException(404, "NotFound",
                qualified(group, resource) + " " + GoFormat.quote(name) + " not found",
                StatusDetails.of(group, resource, name));
    }

    /** 404 for an unknown URL or resource: {@code the server could not find the requested resource}. */
    public static StatusException resourceNotFound() {
        return new StatusException(404, "NotFound", "the server could not find the requested resource",
                StatusDetails.EMPTY);
    }

    /** 409 AlreadyExists: {@code configmaps "cfg" already exists}. */
    public static StatusException alreadyExists(String group, String resource, String name) {
        return new StatusException(409, "AlreadyExists",
                qualified(group, resource) + " " + GoFormat.quote(name) + " already exists",
                StatusDetails.of(group, resource, name));
    }

    /** 409 AlreadyExists when generateName produced a taken name. */
    public static StatusException generateNameConflict(String group, String resource, String name,
                                                       int retryAfterSeconds) {
        return new StatusException(409, "AlreadyExists",
                qualified(group, resource) + " " + GoFormat.quote(name)
                        + " already exists, the server was not able to generate a unique name for the object",
                new StatusDetails(name, group, resource, "", List.of(), retryAfterSeconds));
    }

    /** 409 Conflict: {@code Operation cannot be fulfilled on <resource> "<name>": <detail>}. */
    public static StatusException conflict(String group, String resource, String name, String detail) {
        return new StatusException(409, "Conflict",
                "Operation cannot be fulfilled on " + qualified(group, resource) + " " + GoFormat.quote(name)
                        + ": " + detail,
                StatusDetails.of(group, resource, name));
    }

    /** The optimistic-concurrency detail used with {@link #conflict}. */
    public static final String OBJECT_MODIFIED =
            "the object has been modified; please apply your changes to the latest version and try again";

    /** 409 Conflict for a stale resourceVersion. */
    public static StatusException conflictModified(String group, String resource, String name) {
        return conflict(group, resource, name, OBJECT_MODIFIED);
    }

    /**
     * 422 Invalid: {@code <Kind>[.group] "<name>" is invalid: <causes>}; several distinct causes are joined by
     * {@code ", "} inside {@code [ ]} as Go's error aggregate prints them; duplicates are dropped from the
     * message (but kept in details), as the real server does.
     */
    public static StatusException invalid(String group, String kind, String name, List<Cause> causes) {
        Set<String> texts = new LinkedHashSet<>();
        for (Cause c : causes) {
            texts.add(c.fullText());
        }
        String prefix = qualified(group, kind) + " " + GoFormat.quote(name) + " is invalid";
        String message;
        if (texts.isEmpty()) {
            message = prefix;
        } else if (texts.size() == 1) {
            message = prefix + ": " + texts.iterator().next();
        } else {
            message = prefix + ": [" + String.join(", ", texts) + "]";
        }
        return new StatusException(422, "Invalid", message,
                new StatusDetails(name, group, kind, "", new ArrayList<>(causes), 0));
    }

    /** 400 BadRequest with the given message and no details. */
    public static StatusException badRequest(String message) {
        return new StatusException(400, "BadRequest", message, null);
    }

    /**
     * 403 Forbidden: {@code <resource> "<name>" is forbidden: <reason>} (without the name part when it is
     * empty, and {@code forbidden: <reason>} when the resource is empty too).
     */
    public static StatusException forbidden(String group, String resource, String name, String reason) {
        String message;
        if ((group == null || group.isEmpty()) && (resource == null || resource.isEmpty())) {
            message = "forbidden: " + reason;
        } else if (name == null || name.isEmpty()) {
            message = qualified(group, resource) + " is forbidden: " + reason;
        } else {
            message = qualified(group, resource) + " " + GoFormat.quote(name) + " is forbidden: " + reason;
        }
        return new StatusException(403, "Forbidden", message, StatusDetails.of(group, resource, name));
    }

    /** 405 MethodNotAllowed: {@code <action> is not supported on resources of kind "<resource>"}. */
    public static StatusException methodNotSupported(String group, String resource, String action) {
        return new StatusException(405, "MethodNotAllowed",
                action + " is not supported on resources of kind " + GoFormat.quote(qualified(group, resource)),
                new StatusDetails("", group, resource, "", List.of(), 0));
    }

    /** 405 for a verb the URL does not serve: {@code the server does not allow this method on the requested resource}. */
    public static StatusException methodNotAllowed() {
        return new StatusException(405, "MethodNotAllowed",
                "the server does not allow this method on the requested resource", StatusDetails.EMPTY);
    }

    /** 410 Expired with a custom message. */
    public static StatusException expired(String message) {
        return new StatusException(410, "Expired", message, null);
    }

    /** 410 Expired for a watch or list from a compacted revision: {@code too old resource version: 1 (2)}. */
    public static StatusException tooOldResourceVersion(long requested, long oldestAvailable) {
        return expired("too old resource version: " + requested + " (" + oldestAvailable + ")");
    }

    /** 410 Gone (deprecated reason, still used for some watch errors). */
    public static StatusException gone(String message) {
        return new StatusException(410, "Gone", message, null);
    }

    /** Media types the server decodes, in the order the real server lists them. */
    public static final List<String> DECODABLE_MEDIA_TYPES =
            List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf");

    /** 415 UnsupportedMediaType for a request body in an unknown format. */
    public static StatusException unsupportedMediaType(List<String> accepted) {
        return new StatusException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + String.join(", ", accepted), null);
    }

    /** 415 UnsupportedMediaType listing {@link #DECODABLE_MEDIA_TYPES}. */
    public static StatusException unsupportedMediaType() {
        return unsupportedMediaType(DECODABLE_MEDIA_TYPES);
    }

    /** 406 NotAcceptable: {@code only the following media types are accepted: a, b}. */
    public static StatusException notAcceptable(List<String> accepted) {
        return new StatusException(406, "NotAcceptable",
                "only the following media types are accepted: " + String.join(", ", accepted), null);
    }

    /** 500 InternalError: {@code Internal error occurred: <msg>}, the message repeated as the one cause. */
    public static StatusException internal(String message) {
        return new StatusException(500, "InternalError", "Internal error occurred: " + message,
                new StatusDetails("", "", "", "", List.of(new Cause("", message, "")), 0));
    }

    /**
     * 500 for an error the real server never turned into a Status (apiserver's {@code ErrorToAPIStatus} for a
     * plain Go error): no reason, no details, the error text as message.
     */
    public static StatusException unclassified(String message) {
        return new StatusException(500, "", message, null);
    }

    /** 401 Unauthorized as the authentication filter answers it: message {@code Unauthorized}. */
    public static StatusException unauthorized() {
        return unauthorized("Unauthorized");
    }

    /** 401 Unauthorized with a message ({@code not authorized} when empty, as apimachinery does). */
    public static StatusException unauthorized(String message) {
        return new StatusException(401, "Unauthorized",
                message == null || message.isEmpty() ? "not authorized" : message, null);
    }

    /** 429 TooManyRequests with a retry hint. */
    public static StatusException tooManyRequests(String message, int retryAfterSeconds) {
        return new StatusException(429, "TooManyRequests", message,
                new StatusDetails("", "", "", "", List.of(), retryAfterSeconds));
    }

    /** 503 ServiceUnavailable. */
    public static StatusException serviceUnavailable(String message) {
        return new StatusException(503, "ServiceUnavailable", message, null);
    }

    /** 504 Timeout: {@code Timeout: <msg>}. */
    public static StatusException timeout(String message, int retryAfterSeconds) {
        return new StatusException(504, "Timeout", "Timeout: " + message,
                new StatusDetails("", "", "", "", List.of(), retryAfterSeconds));
    }

    /** 413 RequestEntityTooLarge: {@code Request entity too large: <msg>}. */
    public static StatusException requestEntityTooLarge(String message) {
        return new StatusException(413, "RequestEntityTooLarge", "Request entity too large: " + message, null);
    }

    // ---- errors the registry and admission raise with fixed wording ----

    /**
     * 403 from the NamespaceLifecycle admission plugin when creating in a namespace being deleted, with its
     * {@code NamespaceTerminating} cause.
     */
    public static StatusException namespaceTerminating(String group, String resource, String name, String namespace) {
        StatusException base = forbidden(group, resource, name,
                "unable to create new content in namespace " + namespace + " because it is being terminated");
        StatusDetails d = base.details();
        return new StatusException(403, "Forbidden", base.message(), new StatusDetails(d.name(), d.group(), d.kind(),
                "", List.of(new Cause("NamespaceTerminating", "namespace " + namespace + " is being terminated", "metadata.namespace")),
                0));
    }

    /** 403 from the ServiceAccount admission plugin when the pod's service account does not exist. */
    public static StatusException serviceAccountNotFound(String podName, String namespace, String serviceAccount) {
        return forbidden("", "pods", podName, "error looking up service account " + namespace + "/" + serviceAccount
                + ": serviceaccount " + GoFormat.quote(serviceAccount) + " not found");
    }

    /** 400 when a PUT body names another object than the URL. */
    public static StatusException nameMismatch(String objectName, String urlName) {
        return badRequest("the name of the object (" + objectName + ") does not match the name on the URL ("
                + urlName + ")");
    }

    /** 400 when a body's namespace differs from the URL's. */
    public static StatusException namespaceMismatch() {
        return badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }

    /** 400 for {@code fieldValidation=Strict} on create or update: {@code strict decoding error: unknown field "a"}. */
    public static StatusException strictDecoding(List<String> unknownFieldPaths) {
        return badRequest(strictDecodingMessage(unknownFieldPaths));
    }

    /** {@code strict decoding error: unknown field "a", unknown field "b"}. */
    public static String strictDecodingMessage(List<String> unknownFieldPaths) {
        List<String> parts = new ArrayList<>();
        for (String f : unknownFieldPaths) {
            parts.add(unknownFieldWarning(f));
        }
        return "strict decoding error: " + String.join(", ", parts);
    }

    /** The warning text for {@code fieldValidation=Warn}: {@code unknown field "spec"}. */
    public static String unknownFieldWarning(String fieldPath) {
        return "unknown field " + GoFormat.quote(fieldPath);
    }

    /** A {@code Warning} response header value: {@code 299 - "unknown field \"spec\""}. */
    public static String warningHeader(String text) {
        return "299 - " + GoFormat.quote(text);
    }
}
