package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The entry point of validation: {@code Validators.forKind(group, kind).validate(obj, oldOrNull)} gives the
 * causes the real 1.33 server would report for that kind, empty when the object is valid. Kinds without
 * specific rules get their metadata checked (name format, namespace, labels, annotations, owners, finalizers).
 */
public final class Validators {

    /** Kinds that live outside namespaces. */
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "/Namespace", "/Node", "/PersistentVolume", "/ComponentStatus",
            "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding",
            "storage.k8s.io/StorageClass", "storage.k8s.io/CSIDriver", "storage.k8s.io/CSINode",
            "storage.k8s.io/VolumeAttachment", "scheduling.k8s.io/PriorityClass",
            "apiextensions.k8s.io/CustomResourceDefinition", "apiregistration.k8s.io/APIService",
            "certificates.k8s.io/CertificateSigningRequest", "networking.k8s.io/IngressClass",
            "node.k8s.io/RuntimeClass", "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
            "flowcontrol.apiserver.k8s.io/FlowSchema", "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration");

    private static final Set<String> PATH_SEGMENT_NAMES = Set.of(
            "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/RoleBinding",
            "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding");

    private Validators() {
    }

    /** The validator of a kind; {@code group} is empty for the core group. */
    public static ObjectValidator forKind(String group, String kind) {
        String g = group == null ? "" : group;
        String key = g + "/" + kind;
        return switch (key) {
            case "/Pod" -> wrap(CoreValidation::pod);
            case "/Namespace" -> wrap(CoreValidation::namespace);
            case "/ConfigMap" -> wrap(CoreValidation::configMap);
            case "/Secret" -> wrap(CoreValidation::secret);
            case "/Service" -> wrap(CoreValidation::service);
            case "apps/Deployment" -> wrap(WorkloadValidation::deployment);
            case "apps/ReplicaSet" -> wrap(WorkloadValidation::replicaSet);
            case "apps/DaemonSet" -> wrap(WorkloadValidation::daemonSet);
            case "apps/StatefulSet" -> wrap(WorkloadValidation::statefulSet);
            default -> metadataOnly(!CLUSTER_SCOPED.contains(key),
                    PATH_SEGMENT_NAMES.contains(key) ? NameRule.PATH_SEGMENT : NameRule.DNS_SUBDOMAIN);
        };
    }

    /** Whether the kind is cluster-scoped as far as validation knows. */
    public static boolean isClusterScoped(String group, String kind) {
        return CLUSTER_SCOPED.contains((group == null ? "" : group) + "/" + kind);
    }

    /** A validator that checks only {@code metadata}, with the given scope and name rule. */
    public static ObjectValidator metadataOnly(boolean namespaced, NameRule nameRule) {
        return wrap((obj, old) -> old == null
                ? ObjectMetaValidation.validate(obj.path("metadata"), namespaced, nameRule)
                : ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
    }

    private static ObjectValidator wrap(BiFunction<ObjectNode, ObjectNode, List<FieldError>> rules) {
        return (obj, old) -> toCauses(rules.apply(obj, old));
    }

    /** Field errors as Status causes. */
    public static List<Cause> toCauses(List<FieldError> errors) {
        List<Cause> causes = new ArrayList<>(errors.size());
        for (FieldError e : errors) {
            causes.add(e.toCause());
        }
        return causes;
    }
}
