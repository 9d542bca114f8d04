package kubefake.store.registry.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * certificates.k8s.io/v1 CertificateSigningRequests (pkg/registry/certificates/certificates/strategy.go): the spec is
 * fixed at create (the requestor's identity is set by {@link CsrRequestor}), status is written only through
 * {@code status} (the signer's certificate and Failed conditions; Approved and Denied stay as they were) and the
 * decision only through {@code approval} (the conditions alone). Condition timestamps are filled in as the real
 * strategies' populateConditionTimestamps does.
 */
public final class CertificateSigningRequestStrategy implements ResourceStrategy {
    public static final String GROUP = "certificates.k8s.io";
    private static final KindRules RULES = new KindRules(Defaulter.NONE,
            (o, old) -> Validators.toCauses(CsrValidation.validate(o, old)), FieldLabels.METADATA);

    @Override
    public KindRules rules() {
        return RULES;
    }

    @Override
    public boolean hasStatusSubresource() {
        return true;
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        object.set("spec", old.path("spec").deepCopy());
    }

    @Override
    public ObjectNode subresourceUpdate(String subresource, ObjectNode old, ObjectNode proposed) {
        ObjectNode updated = old.deepCopy();
        ObjectNode status = updated.with("status");
        ArrayNode proposedConditions = proposed.path("status").get("conditions") instanceof ArrayNode a ? a.deepCopy()
                : Json.MAPPER.createArrayNode();
        switch (subresource) {
            case "approval" -> status.set("conditions", proposedConditions);
            case "status" -> {
                ObjectNode newStatus = proposed.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
                newStatus.set("conditions", keepDecisions(old.path("status").path("conditions"), proposedConditions));
                updated.set("status", newStatus);
                status = newStatus;
            }
            default -> throw StatusException.resourceNotFound();
        }
        populateTimestamps(status.withArray("conditions"), old.path("status").path("conditions"), Instant.now());
        if (status.path("conditions").isEmpty()) status.remove("conditions");
        if (status.isEmpty()) updated.remove("status");
        return updated;
    }

    /** A status write's conditions with the stored Approved and Denied ones in place of whatever it proposed for them. */
    private static ArrayNode keepDecisions(JsonNode oldConditions, ArrayNode proposed) {
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode c : oldConditions) if (isDecision(c)) kept.add(c.deepCopy());
        for (JsonNode c : proposed) if (!isDecision(c)) kept.add(c);
        return kept;
    }

    private static boolean isDecision(JsonNode condition) {
        String type = condition.path("type").asText("");
        return type.equals("Approved") || type.equals("Denied");
    }

    /**
     * lastUpdateTime defaults to now; lastTransitionTime to the stored condition's of the same type and status, else
     * now.
     */
    private static void populateTimestamps(ArrayNode conditions, JsonNode oldConditions, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode c : conditions) {
            if (!(c instanceof ObjectNode condition)) continue;
            if (condition.path("lastUpdateTime").asText("").isEmpty()) condition.put("lastUpdateTime", time);
            if (!condition.path("lastTransitionTime").asText("").isEmpty()) continue;
            String transition = time;
            for (JsonNode o : oldConditions) {
                if (o.path("type").equals(condition.path("type")) && o.path("status").equals(condition.path("status"))
                        && !o.path("lastTransitionTime").asText("").isEmpty()) {
                    transition = o.path("lastTransitionTime").asText();
                }
            }
            condition.put("lastTransitionTime", transition);
        }
    }
}
