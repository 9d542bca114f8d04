package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.WatchTrigger;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.selection.FieldSelector;
import kubefake.store.registry.selection.LabelSelector;

import java.util.function.Function;

/** The label and field selectors of one list or watch, checked against the field labels the kind supports. */
final class Selection {
    private final LabelSelector labels;
    private final FieldSelector fields;

    private Selection(LabelSelector labels, FieldSelector fields) {
        this.labels = labels;
        this.fields = fields;
    }

    static Selection of(FieldLabels fieldLabels, ListOptions options) {
        LabelSelector labels = LabelSelector.parse(options.labelSelector() == null ? "" : options.labelSelector());
        FieldSelector fields = FieldSelector.parse(options.fieldSelector() == null ? "" : options.fieldSelector());
        fields = fieldLabels.check(fields);
        return new Selection(labels, fields);
    }

    boolean isEmpty() {
        return labels.isEverything() && fields.isEverything();
    }

    boolean matches(ObjectNode object) {
        if (!labels.isEverything() && !labels.matches(Json.metadata(object).get("labels"))) return false;
        return fields.isEverything() || fields.matches(FieldLabels.values(object));
    }

    /**
     * The first field this selection requires one value of ({@code spec.nodeName=node-1}), as a watch trigger named
     * after {@code resource} and the field, or null when it requires none. The trigger reads the field as
     * {@link #matches} does, so it names every write the selection can see before or after.
     */
    WatchTrigger trigger(String resource, Function<KeyValue, ObjectNode> treeOf) {
        for (FieldSelector.Requirement r : fields.requirements()) {
            if (r.equals()) {
                String field = r.field();
                return new WatchTrigger(resource + " " + field, r.value(), kv -> {
                    String v = FieldLabels.values(treeOf.apply(kv)).apply(field);
                    return v == null ? "" : v;
                });
            }
        }
        return null;
    }
}
