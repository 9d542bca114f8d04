package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.selection.FieldSelector;
import kubefake.store.registry.selection.LabelSelector;

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
}
