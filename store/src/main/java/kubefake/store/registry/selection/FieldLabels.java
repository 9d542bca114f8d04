package kubefake.store.registry.selection;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusException;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which field selector labels each kind supports, as registered by the real API server's field label
 * conversion functions, and the 400 messages for the others: kinds with their own list answer
 * {@code field label not supported: foo}, the rest {@code "foo" is not a known field selector: only
 * "metadata.name", "metadata.namespace"}.
 */
public final class FieldLabels {

    private static final Set<String> META = Set.of("metadata.name", "metadata.namespace");

    /** A kind without field labels of its own: metadata.name and metadata.namespace, with the generic refusal. */
    public static final FieldLabels METADATA = new FieldLabels(META, false);
    public static final FieldLabels POD = custom("metadata.name", "metadata.namespace", "spec.nodeName",
            "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName", "spec.host");
    public static final FieldLabels NODE = custom("metadata.name", "spec.unschedulable");
    public static final FieldLabels REPLICATION_CONTROLLER = custom("metadata.name", "metadata.namespace", "status.replicas");
    public static final FieldLabels PERSISTENT_VOLUME = custom("metadata.name");
    public static final FieldLabels EVENT = custom("metadata.name", "metadata.namespace", "involvedObject.kind",
            "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
            "reason", "reportingComponent", "source", "type");
    public static final FieldLabels NAMESPACE = custom("metadata.name", "status.phase");
    public static final FieldLabels SECRET = custom("metadata.name", "metadata.namespace", "type");
    public static final FieldLabels REPLICA_SET = custom("metadata.name", "metadata.namespace", "status.replicas");
    /** batch/v1 Jobs; certificates' CSRs (not served yet). */
    public static final FieldLabels JOB = custom("metadata.name", "metadata.namespace", "status.successful");
    public static final FieldLabels CERTIFICATE_SIGNING_REQUEST = custom("metadata.name", "spec.signerName");

    private final Set<String> supported;
    private final boolean custom;

    private FieldLabels(Set<String> supported, boolean custom) {
        this.supported = supported;
        this.custom = custom;
    }

    /** A kind's own field labels (its conversion's AddFieldLabelConversionFunc): unknown ones get its refusal. */
    private static FieldLabels custom(String... labels) {
        return new FieldLabels(Set.of(labels), true);
    }

    /** The labels a field selector may use on this kind. */
    public Set<String> supported() {
        return supported;
    }

    /** Whether the label can be used in a field selector on this kind. */
    public boolean supports(String label) {
        return supported.contains(label);
    }

    /**
     * Checks every term and returns the selector with legacy names rewritten ({@code spec.host} to
     * {@code spec.nodeName}).
     *
     * @throws StatusException 400 BadRequest naming the first unsupported label
     */
    public FieldSelector check(FieldSelector selector) {
        for (FieldSelector.Requirement r : selector.requirements()) {
            if (!supports(r.field())) {
                throw unsupported(r.field());
            }
        }
        return selector.transformFields(f -> f.equals("spec.host") && custom ? "spec.nodeName" : f);
    }

    /** The 400 error this kind answers for an unsupported label. */
    public StatusException unsupported(String label) {
        if (custom) {
            return fieldLabelNotSupported(label);
        }
        return StatusException.badRequest(GoFormat.quote(label) + " is not a known field selector: only "
                + String.join(", ", List.of(GoFormat.quote("metadata.name"), GoFormat.quote("metadata.namespace"))));
    }

    /**
     * The selectable field values of an object, for {@link FieldSelector#matches}: the dotted path read from the
     * JSON, with the zero values Go's field sets hold for absent fields ({@code false} for booleans, {@code 0}
     * for counts) and Event's {@code source} meaning {@code source.component}.
     */
    public static Function<String, String> values(JsonNode obj) {
        return field -> {
            switch (field) {
                case "source" -> {
                    return text(obj.path("source").path("component"), "");
                }
                case "spec.hostNetwork", "spec.unschedulable" -> {
                    return text(at(obj, field), "false");
                }
                case "status.replicas", "status.successful" -> {
                    return text(at(obj, field), "0");
                }
                case "status.podIPs" -> {
                    // Matches on the first (primary) pod IP.
                    return text(obj.path("status").path("podIPs").path(0).path("ip"), "");
                }
                default -> {
                    return text(at(obj, field), "");
                }
            }
        };
    }

    private static JsonNode at(JsonNode obj, String dotted) {
        JsonNode n = obj;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    private static String text(JsonNode n, String zero) {
        return n.isMissingNode() || n.isNull() ? zero : n.asText();
    }

    /** 400 BadRequest {@code field label not supported: <label>}. */
    public static StatusException fieldLabelNotSupported(String label) {
        return StatusException.badRequest("field label not supported: " + label);
    }
}
