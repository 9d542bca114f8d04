package kubefake.server.printers;

/**
 * Shorthands for column definitions. Descriptions are the API server's own (mostly the OpenAPI
 * documentation of the field a column shows), so they must be copied exactly.
 */
final class Columns {

    static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating"
            + " resources, although some resources may allow a client to request the generation of an appropriate"
            + " name automatically. Name is primarily intended for creation idempotence and configuration"
            + " definition. Cannot be updated. More info:"
            + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    static final String CREATION_TIMESTAMP_DESCRIPTION = "CreationTimestamp is a timestamp representing the server"
            + " time when this object was created. It is not guaranteed to be set in happens-before order across"
            + " separate operations. Clients may not set this value. It is represented in RFC3339 form and is in"
            + " UTC.\n\nPopulated by the system. Read-only. Null for lists. More info:"
            + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    static final Column NAME = new Column("Name", "string", "name", NAME_DESCRIPTION, 0);
    static final Column AGE = new Column("Age", "string", "", CREATION_TIMESTAMP_DESCRIPTION, 0);
    static final Column CREATED_AT = new Column("Created At", "date", "", CREATION_TIMESTAMP_DESCRIPTION, 0);
    static final Column CONTAINERS_WIDE = wide("Containers", "Names of each container in the template.");
    static final Column IMAGES_WIDE = wide("Images", "Images referenced by each container in the template.");

    private Columns() {
    }

    static Column string(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    static Column integer(String name, String description) {
        return new Column(name, "integer", "", description, 0);
    }

    static Column bool(String name, String description) {
        return new Column(name, "boolean", "", description, 0);
    }

    /** A string column kubectl shows only with {@code -o wide}. */
    static Column wide(String name, String description) {
        return new Column(name, "string", "", description, 1);
    }
}
