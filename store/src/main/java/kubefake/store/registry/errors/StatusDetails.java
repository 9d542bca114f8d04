package kubefake.store.registry.errors;

import java.util.List;

/**
 * The {@code details} object of a Kubernetes Status. For resource errors {@code kind} holds the resource
 * (plural, e.g. {@code pods}) while for Invalid errors it holds the Kind (e.g. {@code Pod}), as the real server
 * does. Empty fields are omitted when rendered.
 */
public record StatusDetails(String name, String group, String kind, String uid, List<Cause> causes,
                            int retryAfterSeconds) {

    /** Details with no field set: rendered as {@code {}}. */
    public static final StatusDetails EMPTY = new StatusDetails("", "", "", "", List.of(), 0);

    public StatusDetails {
        name = name == null ? "" : name;
        group = group == null ? "" : group;
        kind = kind == null ? "" : kind;
        uid = uid == null ? "" : uid;
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    /** Details naming one object of a resource. */
    public static StatusDetails of(String group, String kind, String name) {
        return new StatusDetails(name, group, kind, "", List.of(), 0);
    }
}
