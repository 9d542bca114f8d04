package kubefake.store.registry;

import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.NameRule;
import kubefake.store.registry.validation.ObjectValidator;
import kubefake.store.registry.validation.Validators;

/**
 * What one kind's strategy knows about its objects beyond the generic machinery: its scheme defaults, its
 * validation, and the field labels its field selectors may use. Every strategy declares its own
 * ({@link ResourceStrategy#rules()}), so adding a kind is its strategy and one catalogue line, and no table keyed
 * by kind names elsewhere needs a row.
 */
public record KindRules(Defaulter defaulter, ObjectValidator validator, FieldLabels fieldLabels) {

    /**
     * A kind with no rules of its own: no defaults, metadata validated (name, namespace, labels, annotations,
     * owners, finalizers), field selectors on metadata.name and metadata.namespace.
     */
    public static KindRules metadataOnly(boolean namespaced) {
        return new KindRules(Defaulter.NONE, Validators.metadataOnly(namespaced, NameRule.DNS_SUBDOMAIN), FieldLabels.METADATA);
    }

    public KindRules withDefaulter(Defaulter d) {
        return new KindRules(d, validator, fieldLabels);
    }

    public KindRules withValidator(ObjectValidator v) {
        return new KindRules(defaulter, v, fieldLabels);
    }

    public KindRules withFieldLabels(FieldLabels f) {
        return new KindRules(defaulter, validator, f);
    }
}
