package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.FieldSelector;
import kubefake.store.registry.selection.LabelSelector;

import java.util.Map;

/** The label and field selectors of one list or watch, checked against the fields the resource supports. */
final class Selection {
    private final LabelSelector labels;
    private final FieldSelector fields;
    private final ResourceStrategy strategy;

    private Selection(LabelSelector labels, FieldSelector fields, ResourceStrategy strategy) {
        this.labels = labels;
        this.fields = fields;
        this.strategy = strategy;
    }

    static Selection of(ResourceType type, ResourceStrategy strategy, ListOptions options) {
        LabelSelector labels;
        FieldSelector fields;
        try {
            labels = LabelSelector.parse(options.labelSelector() == null ? "" : options.labelSelector());
            fields = FieldSelector.parse(options.fieldSelector() == null ? "" : options.fieldSelector());
        } catch (StatusException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw StatusException.badRequest(e.getMessage());
        }
        for (FieldSelector.Requirement r : fields.requirements()) {
            String f = r.field();
            boolean supported = f.equals("metadata.name") || (type.namespaced() && f.equals("metadata.namespace"))
                    || strategy.selectableFieldNames().contains(f);
            if (!supported) {
                throw StatusException.badRequest("field label not supported: " + f);
            }
        }
        return new Selection(labels, fields, strategy);
    }

    boolean isEmpty() {
        return labels.isEmpty() && fields.isEmpty();
    }

    boolean matches(ObjectNode object) {
        ObjectNode meta = Json.metadata(object);
        if (!labels.isEmpty() && !labels.matches(meta.get("labels"))) return false;
        if (fields.isEmpty()) return true;
        Map<String, String> extra = strategy.selectableFields(object);
        return fields.matches(f -> switch (f) {
            case "metadata.name" -> Json.text(meta, "name");
            case "metadata.namespace" -> Json.text(meta, "namespace");
            default -> extra.getOrDefault(f, "");
        });
    }
}
