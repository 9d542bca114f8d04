package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.Cause;

import java.util.List;

/**
 * Validates one kind of object on create ({@code old} null) or update, returning the Status causes the real
 * server would report (empty when valid). The registry turns a non-empty list into
 * {@link kubefake.store.registry.errors.StatusException#invalid}.
 */
@FunctionalInterface
public interface ObjectValidator {

    /** The causes, in the order the real server lists them. */
    List<Cause> validate(ObjectNode obj, ObjectNode oldOrNull);
}
