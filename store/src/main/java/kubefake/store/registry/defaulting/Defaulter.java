package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fills in what a real Kubernetes 1.33 API server fills in when an object is created (each kind's strategy names
 * its defaulter, one of the constants here): the scheme's
 * {@code SetDefaults_*} functions and what the strategies' PrepareForCreate sets (pod status, namespace finalizer).
 * The admission plugins' mutations (ServiceAccount, Priority, DefaultTolerationSeconds) are the admission chain's.
 * Defaulting only adds what is missing, so applying it twice changes nothing. What Go's types themselves write
 * ({@code resources: {}}, template {@code creationTimestamp: null}, {@code status.loadBalancer: {}}) is the
 * round trip's part ({@link kubefake.store.registry.fieldvalidation.GoRoundTrip}), which runs after defaulting.
 */
@FunctionalInterface
public interface Defaulter {

    /** Defaults an object about to be created, in place. */
    void apply(ObjectNode obj);

    /**
     * Defaults an object about to replace a stored one: the scheme defaults only (what differs on create is the
     * initial status).
     */
    default void applyOnUpdate(ObjectNode obj) {
        apply(obj);
    }

    /**
     * What the create's defaults fill in after the strategy's prepareForCreate, the rest of the object having been
     * defaulted once by {@link #apply} before it: the status the strategy cleared (the real server's decoding of the
     * stored object defaults it again), and for Services the fields the REST storage sets next to the IP allocation.
     */
    default void applyAfterPrepare(ObjectNode obj) {
    }

    /** Leaves the object as it is. */
    Defaulter NONE = obj -> {
    };

    /** Pods: the PodSpec defaults, SetDefaults_Pod and the initial status. */
    Defaulter POD = new PodDefaulter();
    Defaulter SERVICE = afterPrepare(ServiceDefaulter::apply, ServiceDefaulter::apply);
    Defaulter NAMESPACE = afterPrepare(CoreDefaults::namespace, CoreDefaults::namespaceStatus);
    Defaulter SECRET = CoreDefaults::secret;
    Defaulter PERSISTENT_VOLUME_CLAIM = afterPrepare(CoreDefaults::persistentVolumeClaim, CoreDefaults::pendingStatus);
    Defaulter PERSISTENT_VOLUME = afterPrepare(CoreDefaults::persistentVolume, CoreDefaults::pendingStatus);
    Defaulter LIMIT_RANGE = CoreDefaults::limitRange;
    /** scheduling.k8s.io/v1 PriorityClasses: preemptionPolicy PreemptLowerPriority. */
    Defaulter PRIORITY_CLASS = pc -> {
        if (!pc.hasNonNull("preemptionPolicy")) pc.put("preemptionPolicy", "PreemptLowerPriority");
    };
    Defaulter ENDPOINTS = CoreDefaults::endpoints;
    Defaulter REPLICATION_CONTROLLER = WorkloadDefaults::replicationController;
    Defaulter POD_TEMPLATE = obj -> PodSpecDefaults.applyTemplate(CoreDefaults.object(obj, "template"));
    Defaulter DEPLOYMENT = WorkloadDefaults::deployment;
    Defaulter REPLICA_SET = WorkloadDefaults::replicaSet;
    Defaulter STATEFUL_SET = WorkloadDefaults::statefulSet;
    Defaulter DAEMON_SET = WorkloadDefaults::daemonSet;
    /** batch/v1 Jobs and CronJobs. */
    Defaulter JOB = WorkloadDefaults::job;
    Defaulter CRON_JOB = WorkloadDefaults::cronJob;
    /** admissionregistration.k8s.io/v1 webhook configurations. */
    Defaulter VALIDATING_WEBHOOK_CONFIGURATION = AdmissionRegistrationDefaults::validating;
    Defaulter MUTATING_WEBHOOK_CONFIGURATION = AdmissionRegistrationDefaults::mutating;
    /** autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscalers. */
    Defaulter HORIZONTAL_POD_AUTOSCALER = AutoscalingDefaults::v2;
    Defaulter HORIZONTAL_POD_AUTOSCALER_V1 = AutoscalingDefaults::v1;
    /** networking.k8s.io/v1 NetworkPolicies and IngressClasses. */
    Defaulter NETWORK_POLICY = NetworkingDefaults::networkPolicy;
    Defaulter INGRESS_CLASS = NetworkingDefaults::ingressClass;
    /** storage.k8s.io/v1 StorageClasses and CSIDrivers. */
    Defaulter STORAGE_CLASS = StorageDefaults::storageClass;
    Defaulter CSI_DRIVER = StorageDefaults::csiDriver;

    /** A defaulter whose {@link #applyAfterPrepare} part is {@code after}. */
    private static Defaulter afterPrepare(Defaulter all, Defaulter after) {
        return new Defaulter() {
            @Override
            public void apply(ObjectNode obj) {
                all.apply(obj);
            }

            @Override
            public void applyAfterPrepare(ObjectNode obj) {
                after.apply(obj);
            }
        };
    }
}
