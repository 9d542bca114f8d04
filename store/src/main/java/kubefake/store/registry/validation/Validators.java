package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The validators of the kinds with rules of their own (each kind's strategy names its validator); every object
 * validated through one, {@code validate(obj, oldOrNull)}, gives the
 * causes the real 1.33 server would report for that kind, empty when the object is valid. Kinds without
 * specific rules get their metadata checked (name format, namespace, labels, annotations, owners, finalizers).
 */
public final class Validators {

    public static final ObjectValidator POD = wrap(CoreValidation::pod);
    /** Writes to pods/ephemeralcontainers, which add to the spec where a pod update may not. */
    public static final ObjectValidator POD_EPHEMERAL_CONTAINERS = wrap(CoreValidation::podEphemeralContainersUpdate);
    public static final ObjectValidator NAMESPACE = wrap(CoreValidation::namespace);
    public static final ObjectValidator CONFIG_MAP = wrap(CoreValidation::configMap);
    public static final ObjectValidator LIMIT_RANGE = wrap(LimitRangeValidation::limitRange);
    public static final ObjectValidator SECRET = wrap(CoreValidation::secret);
    public static final ObjectValidator SERVICE = wrap(CoreValidation::service);
    public static final ObjectValidator DEPLOYMENT = wrap(WorkloadValidation::deployment);
    public static final ObjectValidator REPLICA_SET = wrap(WorkloadValidation::replicaSet);
    public static final ObjectValidator DAEMON_SET = wrap(WorkloadValidation::daemonSet);
    public static final ObjectValidator STATEFUL_SET = wrap(WorkloadValidation::statefulSet);
    public static final ObjectValidator JOB = wrap(BatchValidation::job);
    public static final ObjectValidator CRON_JOB = wrap(BatchValidation::cronJob);
    public static final ObjectValidator VALIDATING_WEBHOOK_CONFIGURATION = wrap(AdmissionRegistrationValidation::validating);
    public static final ObjectValidator MUTATING_WEBHOOK_CONFIGURATION = wrap(AdmissionRegistrationValidation::mutating);
    public static final ObjectValidator POD_DISRUPTION_BUDGET = wrap(PolicyValidation::podDisruptionBudget);
    /** autoscaling/v2 HorizontalPodAutoscalers (v1 ones are converted to v2 before, as the real server validates its internal form). */
    public static final ObjectValidator HORIZONTAL_POD_AUTOSCALER = wrap(AutoscalingValidation::horizontalPodAutoscaler);
    // networking.k8s.io/v1
    public static final ObjectValidator INGRESS = wrap(NetworkingValidation::ingress);
    public static final ObjectValidator INGRESS_CLASS = wrap(NetworkingValidation::ingressClass);
    public static final ObjectValidator NETWORK_POLICY = wrap(NetworkingValidation::networkPolicy);
    public static final ObjectValidator IP_ADDRESS = wrap(NetworkingValidation::ipAddress);
    public static final ObjectValidator SERVICE_CIDR = wrap(NetworkingValidation::serviceCidr);
    public static final ObjectValidator STORAGE_CLASS = wrap(StorageValidation::storageClass);
    public static final ObjectValidator CSI_DRIVER = wrap(StorageValidation::csiDriver);
    public static final ObjectValidator CSI_NODE = wrap(StorageValidation::csiNode);
    public static final ObjectValidator CSI_STORAGE_CAPACITY = wrap(StorageValidation::csiStorageCapacity);
    public static final ObjectValidator VOLUME_ATTACHMENT = wrap(StorageValidation::volumeAttachment);
    public static final ObjectValidator RUNTIME_CLASS = wrap(NodeValidation::runtimeClass);
    public static final ObjectValidator PRIORITY_CLASS = wrap(SchedulingValidation::priorityClass);
    public static final ObjectValidator API_SERVICE = wrap(ApiRegistrationValidation::apiService);

    private Validators() {
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
