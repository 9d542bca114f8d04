package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Fills in what a real Kubernetes 1.33 API server fills in when an object is created: the scheme's
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

    /** Leaves the object as it is. */
    Defaulter NONE = obj -> {
    };

    /** The defaulter of a kind ({@code group} empty for the core group); {@link #NONE} when it has no defaults. */
    static Defaulter forKind(String group, String kind) {
        String key = (group == null ? "" : group) + "/" + kind;
        return switch (key) {
            case "/Pod" -> new PodDefaulter();
            case "/Service" -> ServiceDefaulter::apply;
            case "/Namespace" -> CoreDefaults::namespace;
            case "/Secret" -> CoreDefaults::secret;
            case "/PersistentVolumeClaim" -> CoreDefaults::persistentVolumeClaim;
            case "/PersistentVolume" -> CoreDefaults::persistentVolume;
            case "/Endpoints" -> CoreDefaults::endpoints;
            case "/ReplicationController" -> WorkloadDefaults::replicationController;
            case "/PodTemplate" -> obj -> PodSpecDefaults.applyTemplate(CoreDefaults.object(obj, "template"));
            case "apps/Deployment" -> WorkloadDefaults::deployment;
            case "apps/ReplicaSet" -> WorkloadDefaults::replicaSet;
            case "apps/StatefulSet" -> WorkloadDefaults::statefulSet;
            case "apps/DaemonSet" -> WorkloadDefaults::daemonSet;
            case "batch/Job" -> WorkloadDefaults::job;
            case "batch/CronJob" -> WorkloadDefaults::cronJob;
            default -> NONE;
        };
    }
}
