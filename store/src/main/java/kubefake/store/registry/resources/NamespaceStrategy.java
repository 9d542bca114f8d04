package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.time.Instant;

/**
 * Namespaces (Active with the "kubernetes" finalizer on create, which their defaulter sets); a delete turns them Terminating, and they go
 * once the namespace controller has emptied them and removed that finalizer (through namespaces/finalize).
 */
public class NamespaceStrategy extends StatusStrategy {
    public NamespaceStrategy() {
        super(new KindRules(Defaulter.NAMESPACE, Validators.NAMESPACE, FieldLabels.NAMESPACE));
    }

    @Override
    public void prepareForUpdate(ObjectNode ns, ObjectNode old) {
        // spec.finalizers change only through namespaces/finalize
        if (old.has("spec")) ns.set("spec", old.get("spec").deepCopy());
        else ns.remove("spec");
    }

    @Override
    public ObjectNode subresourceUpdate(String subresource, ObjectNode old, ObjectNode proposed) {
        if (!subresource.equals("finalize")) return super.subresourceUpdate(subresource, old, proposed);
        ObjectNode updated = old.deepCopy();
        ObjectNode spec = updated.has("spec") ? (ObjectNode) updated.get("spec") : updated.putObject("spec");
        var finalizers = proposed.path("spec").get("finalizers");
        if (finalizers == null || finalizers.isNull() || finalizers.isEmpty()) spec.remove("finalizers");
        else spec.set("finalizers", finalizers);
        return updated;
    }

    @Override
    public Long gracefulDeletionSeconds(ObjectNode ns, Long requestedGrace) {
        return 0L;
    }

    @Override
    public void prepareForGracefulDeletion(ObjectNode ns, Instant now) {
        Json.metadata(ns).put("deletionGracePeriodSeconds", 0);
        ns.putObject("status").put("phase", "Terminating");
    }

    @Override
    public boolean readyToDelete(ObjectNode ns) {
        return super.readyToDelete(ns) && ns.path("spec").path("finalizers").isEmpty();
    }

    @Override
    public boolean returnsDeletedObject() { return true; }


}
