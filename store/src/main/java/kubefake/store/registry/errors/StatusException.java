package kubefake.store.registry.errors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** TEMPORARY stub until the registry-rules branch lands: an error carrying a Kubernetes Status. */
public class StatusException extends RuntimeException {
    public record Cause(String reason, String message, String field) {}

    public record Details(String name, String group, String kind, String uid, List<Cause> causes) {}

    private final int code;
    private final String reason;
    private final Details details;

    public StatusException(int code, String reason, String message, Details details) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    public int code() { return code; }

    public String reason() { return reason; }

    public Details details() { return details; }

    static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    public static StatusException notFound(String group, String resource, String name) {
        return new StatusException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                new Details(name, group, resource, null, List.of()));
    }

    public static StatusException alreadyExists(String group, String resource, String name) {
        return new StatusException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                new Details(name, group, resource, null, List.of()));
    }

    public static StatusException conflict(String group, String resource, String name, String detail) {
        return new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource)
                + " \"" + name + "\": " + detail, new Details(name, group, resource, null, List.of()));
    }

    public static StatusException invalid(String group, String kind, String name, List<Cause> causes) {
        StringBuilder m = new StringBuilder(kind + " \"" + name + "\" is invalid: ");
        if (causes.size() == 1) m.append(causes.get(0).field()).append(": ").append(causes.get(0).message());
        else {
            m.append('[');
            for (int i = 0; i < causes.size(); i++) {
                if (i > 0) m.append(", ");
                m.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
            }
            m.append(']');
        }
        return new StatusException(422, "Invalid", m.toString(), new Details(name, group, kind, null, causes));
    }

    public static StatusException badRequest(String message) {
        return new StatusException(400, "BadRequest", message, null);
    }

    public static StatusException internal(String message) {
        return new StatusException(500, "InternalError", "Internal error occurred: " + message,
                new Details(null, null, null, null, List.of(new Cause(null, message, null))));
    }

    public ObjectNode toStatusJson() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", getMessage()).put("reason", reason);
        if (details != null) {
            ObjectNode d = s.putObject("details");
            if (details.name() != null) d.put("name", details.name());
            if (details.group() != null && !details.group().isEmpty()) d.put("group", details.group());
            if (details.kind() != null) d.put("kind", details.kind());
            if (details.uid() != null) d.put("uid", details.uid());
            if (details.causes() != null && !details.causes().isEmpty()) {
                var arr = d.putArray("causes");
                for (Cause c : details.causes()) {
                    ObjectNode cn = arr.addObject();
                    if (c.reason() != null) cn.put("reason", c.reason());
                    if (c.message() != null) cn.put("message", c.message());
                    if (c.field() != null) cn.put("field", c.field());
                }
            }
        }
        s.put("code", code);
        return s;
    }
}
