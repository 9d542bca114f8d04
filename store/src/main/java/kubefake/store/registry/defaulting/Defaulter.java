package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Fills in what a real Kubernetes 1.33 API server fills in when an object is created: the scheme's
 * {@code SetDefaults_*} functions, and the mutations of the default admission plugins (ServiceAccount,
 * Priority, DefaultTolerationSeconds) and of the strategies' PrepareForCreate (pod status, namespace finalizer).
 * Defaulting only adds what is missing, so applying it twice changes nothing. What Go's types themselves write
 * ({@code resources: {}}, template {@code creationTimestamp: null}, {@code status.loadBalancer: {}}) is the
 * round trip's part ({@link kubefake.store.registry.fieldvalidation.GoRoundTrip}), which runs after defaulting.
 */
@FunctionalInterface
public interface Defaulter {

    /** Defaults an object about to be created, in place. */
    void apply(ObjectNode obj);

    /**
     * Defaults an object about to replace a stored one: the scheme defaults only (admission mutations such as
     * the service-account token volume happen on create alone).
     */
    default void applyOnUpdate(ObjectNode obj) {
        apply(obj);
    }

    /** Leaves the object as it is. */
    Defaulter NONE = obj -> {
    };

    /** The defaulter of a kind ({@code group} empty for the core group); {@link #NONE} when it has no defaults. */
    static Defaulter forKind(String group, String kind) {
        return forKind(group, kind, Holder.RANDOM);
    }

    /** As {@link #forKind(String, String)}, drawing generated names (token volume suffixes) from {@code random}. */
    static Defaulter forKind(String group, String kind, Random random) {
        String key = (group == null ? "" : group) + "/" + kind;
        return switch (key) {
            case "/Pod" -> new PodDefaulter(random);
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

    /** Lazily created shared randomness. */
    final class Holder {
        private static final Random RANDOM = new SecureRandom();

        private Holder() {
        }
    }
}
