package kubefake.store.registry.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The admission plugins of one registry, in kube-apiserver's order: every mutating plugin runs on the decoded,
 * defaulted object before the strategy prepares and validates it; every validating plugin on the result, just
 * before it is stored. A plugin refuses a write by throwing a {@link kubefake.store.registry.errors.StatusException}.
 */
public final class AdmissionChain {
    /**
     * How long the ServiceAccount plugin waits for a namespace's {@code default} service account (the real one
     * retries for 1-2 s) before refusing the pod.
     */
    public static final Duration DEFAULT_SERVICE_ACCOUNT_WAIT = Duration.ofMillis(1500);

    /** No plugins at all. */
    public static final AdmissionChain NONE = new AdmissionChain(List.of(), List.of());

    private final List<MutatingPlugin> mutating;
    private final List<ValidatingPlugin> validating;

    public AdmissionChain(List<MutatingPlugin> mutating, List<ValidatingPlugin> validating) {
        this.mutating = List.copyOf(mutating);
        this.validating = List.copyOf(validating);
    }

    /**
     * The plugins a kubeadm cluster's API server enables that kubefake has, in its order (NamespaceLifecycle,
     * LimitRanger, ServiceAccount, Priority, DefaultTolerationSeconds, DefaultStorageClass, StorageObjectInUseProtection,
     * RuntimeClass, DefaultIngressClass; then ServiceAccount, PersistentVolumeClaimResize, RuntimeClass and ResourceQuota
     * validating). LimitRanger and ResourceQuota are not built yet: they go in the marked places.
     *
     * @param lookups          the stored objects the plugins read (namespaces, service accounts)
     * @param serviceAccounts  whether pods must name a service account that exists: only when something creates
     *                         each namespace's {@code default} one (the serviceaccount controller), else every pod
     *                         would be refused
     */
    public static AdmissionChain standard(AdmissionLookups lookups, boolean serviceAccounts, Random random) {
        return standard(lookups, serviceAccounts ? DEFAULT_SERVICE_ACCOUNT_WAIT : null, random);
    }

    /**
     * As {@link #standard(AdmissionLookups, boolean, Random)}, saying how long a pod's missing {@code default}
     * service account is waited for (null: service accounts are not checked at all).
     */
    public static AdmissionChain standard(AdmissionLookups lookups, Duration waitForDefaultServiceAccount, Random random) {
        ServiceAccountAdmission serviceAccount = waitForDefaultServiceAccount == null
                ? new ServiceAccountAdmission(random, null)
                : new ServiceAccountAdmission(random, lookups, waitForDefaultServiceAccount);
        List<MutatingPlugin> mutating = new ArrayList<>();
        mutating.add(new NamespaceLifecycle(lookups));
        // LimitRanger (mutating: default requests and limits) goes here
        mutating.add(serviceAccount);
        mutating.add(new PriorityAdmission());
        mutating.add(new DefaultTolerationSeconds());
        mutating.add(new DefaultStorageClass(lookups));
        mutating.add(new StorageObjectInUseProtection());
        RuntimeClassAdmission runtimeClass = new RuntimeClassAdmission(lookups);
        mutating.add(runtimeClass);
        mutating.add(new DefaultIngressClass(lookups));
        List<ValidatingPlugin> validating = new ArrayList<>();
        validating.add(serviceAccount);
        validating.add(new PersistentVolumeClaimResize(lookups));
        validating.add(runtimeClass);
        // ResourceQuota (validating: charges the write to the namespace's quota) goes here, last
        return new AdmissionChain(mutating, validating);
    }

    /** This chain with one more mutating plugin at the end of the mutating ones. */
    public AdmissionChain withMutating(MutatingPlugin plugin) {
        List<MutatingPlugin> more = new ArrayList<>(mutating);
        more.add(plugin);
        return new AdmissionChain(more, validating);
    }

    /** This chain with one more validating plugin at its end. */
    public AdmissionChain withValidating(ValidatingPlugin plugin) {
        List<ValidatingPlugin> more = new ArrayList<>(validating);
        more.add(plugin);
        return new AdmissionChain(mutating, more);
    }

    public void admit(AdmissionAttributes attributes) {
        for (MutatingPlugin p : mutating) p.admit(attributes);
    }

    public void validate(AdmissionAttributes attributes) {
        for (ValidatingPlugin p : validating) p.validate(attributes);
    }

    /** The plugins' names in order, mutating then validating (what a test or a diagnostic lists). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        mutating.forEach(p -> names.add(p.name()));
        validating.forEach(p -> names.add(p.name()));
        return names;
    }
}
