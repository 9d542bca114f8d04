package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.StatusException.Cause;

import java.util.ArrayList;
import java.util.List;

/** TEMPORARY stub until the registry-rules branch lands. */
public final class Validators {
    public interface Validator {
        List<Cause> validate(ObjectNode object, ObjectNode oldOrNull);
    }

    public static Validator forKind(String group, String kind) {
        return (o, old) -> {
            List<Cause> c = new ArrayList<>();
            String name = o.path("metadata").path("name").asText("");
            if (!name.isEmpty() && !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
                c.add(new Cause("FieldValueInvalid", "Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", "metadata.name"));
            }
            return c;
        };
    }
}
