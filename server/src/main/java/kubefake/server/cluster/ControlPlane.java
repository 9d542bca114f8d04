package kubefake.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.Informer;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.controllers.apiextensions.CustomResourceDefinitionController;
import kubefake.controllers.apiregistration.CustomResourceApiServices;
import kubefake.controllers.daemon.DaemonSetController;
import kubefake.controllers.deployment.DeploymentController;
import kubefake.controllers.job.JobController;
import kubefake.controllers.cronjob.CronJobController;
import kubefake.controllers.ttlafterfinished.TtlAfterFinishedController;
import kubefake.controllers.disruption.DisruptionController;
import kubefake.controllers.podautoscaler.HorizontalController;
import kubefake.controllers.podautoscaler.ResourceMetricsApi;
import kubefake.store.registry.admission.policy.ValidatingAdmissionPolicyPlugin;
import kubefake.store.registry.admission.webhook.WebhookAdmission;
import kubefake.store.registry.admission.AdmissionLookups;
import kubefake.controllers.endpoint.EndpointsController;
import kubefake.controllers.endpointslice.EndpointSliceController;
import kubefake.controllers.garbagecollector.GarbageCollector;
import kubefake.controllers.namespace.NamespaceController;
import kubefake.controllers.nodelifecycle.NodeLifecycleController;
import kubefake.controllers.podgc.PodGCController;
import kubefake.controllers.replicaset.ReplicaSetController;
import kubefake.controllers.replicaset.ReplicaSetKind;
import kubefake.controllers.replication.ReplicationManager;
import kubefake.controllers.rootcacertpublisher.RootCaCertPublisher;
import kubefake.controllers.certificates.CsrSigningController;
import kubefake.certs.ClusterPki;
import kubefake.controllers.scheduler.Scheduler;
import kubefake.controllers.resourcequota.ResourceQuotaController;
import kubefake.controllers.serviceaccount.ServiceAccountsController;
import kubefake.controllers.serviceaccount.TokensController;
import kubefake.controllers.volume.expand.ExpandController;
import kubefake.controllers.volume.persistentvolume.PersistentVolumeController;
import kubefake.controllers.volume.protection.PvProtectionController;
import kubefake.controllers.volume.protection.PvcProtectionController;
import kubefake.controllers.statefulset.StatefulSetController;
import kubefake.controllers.tainteviction.TaintEvictionController;
import kubefake.store.registry.Json;
import kubefake.controllers.ipaddress.ServiceIpAddresses;
import kubefake.store.registry.Registry;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.admission.AdmissionChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The control plane's components besides the API server, in process: kube-controller-manager's controllers
 * ({@link #start}) and kube-scheduler ({@link #startScheduler}), each with the identity it has in a kubeadm cluster
 * (the controllers as their own service accounts, as with --use-service-account-credentials), all on the cluster's
 * runtime and the informers they are given. With several API servers on one etcd each runs in the process holding
 * its Lease ({@link LeaderElected}).
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private static final String CONTROLLER_MANAGER = "kube-controller-manager";

    private final List<AutoCloseable> components;

    private ControlPlane(List<AutoCloseable> components) {
        this.components = components;
    }

    /**
     * The admission the control plane's components rely on: with the service account controller making every
     * namespace's default service account, pods must name one that exists. Every API server of the cluster sets it,
     * whichever process runs the controllers.
     */
    public static void useAdmission(Registry registry, SharedInformers apiServerInformers) {
        // the webhooks of the stored webhook configurations, last of the mutating and of the validating plugins, read
        // from informers as kube-apiserver does: a write costs no store read for them (an etcd round trip each)
        Informer mutating = apiServerInformers.informer("admissionregistration.k8s.io", "mutatingwebhookconfigurations");
        Informer validating = apiServerInformers.informer("admissionregistration.k8s.io", "validatingwebhookconfigurations");
        WebhookAdmission webhooks = new WebhookAdmission(() -> webhookConfigurations(mutating),
                () -> webhookConfigurations(validating), registry.lookups());
        // the ValidatingAdmissionPolicy plugin runs before the validating webhooks, as in kube-apiserver's order
        Informer policyInformer = apiServerInformers.informer("admissionregistration.k8s.io", "validatingadmissionpolicies");
        Informer bindingInformer = apiServerInformers.informer("admissionregistration.k8s.io", "validatingadmissionpolicybindings");
        ValidatingAdmissionPolicyPlugin policies = new ValidatingAdmissionPolicyPlugin(() -> webhookConfigurations(policyInformer),
                () -> webhookConfigurations(bindingInformer), registry);
        // the namespace and its quotas, which every namespaced write looks up, from informers too
        AdmissionLookups lookups = new InformerAdmissionLookups(registry.lookups(), apiServerInformers);
        registry.useAdmission(AdmissionChain.standard(lookups, true, new SecureRandom())
                .withMutating(webhooks.mutating()).withValidating(policies).withValidating(webhooks.validating()));
    }

    /**
     * Starts kube-apiserver's own CRD controllers (naming, establishing, finalizing, and serving what each definition
     * defines) and its crd-autoregister controller (an APIService per served group-version): every API server runs
     * them, whichever process leads, since each must serve the custom resources.
     */
    public static AutoCloseable startApiExtensions(Registry registry, SharedInformers apiServerInformers, ClusterRuntime runtime) {
        Client apiServer = new Client(registry, UserInfo.API_SERVER, "kube-apiserver");
        CustomResourceDefinitionController definitions = new CustomResourceDefinitionController(apiServer, apiServerInformers, runtime);
        CustomResourceApiServices apiServices = new CustomResourceApiServices(apiServer, apiServerInformers, runtime);
        definitions.start();
        apiServices.start();
        return () -> {
            apiServices.close();
            definitions.close();
        };
    }

    /**
     * Starts kube-apiserver's IPAddress repair loop (an IPAddress object for each Service's ClusterIP): every API
     * server runs it, as the allocator that writes them is in each.
     */
    public static AutoCloseable startServiceIpAddresses(Registry registry, SharedInformers apiServerInformers, ClusterRuntime runtime) {
        ServiceIpAddresses repair = new ServiceIpAddresses(new Client(registry, UserInfo.API_SERVER, "kube-apiserver"),
                apiServerInformers, runtime);
        repair.start();
        return repair;
    }

    /** Creates and starts kube-scheduler; the informers are started by the caller once all have registered. */
    public static Scheduler startScheduler(Registry registry, SharedInformers informers, ClusterRuntime runtime,
                                           String controlPlaneNode) {
        Scheduler scheduler = new Scheduler(new Client(registry, UserInfo.KUBE_SCHEDULER, "kube-scheduler"), informers, runtime,
                Scheduler.NAME + "-" + controlPlaneNode, new Random());
        scheduler.start();
        return scheduler;
    }

    /**
     * Creates and starts kube-controller-manager's controllers; the informers are started by the caller once all have
     * registered.
     *
     * @param rootCaPem the cluster CA certificate (PEM) that the root CA publisher puts in every namespace
     * @param pki       the cluster PKI whose CA signs approved CertificateSigningRequests
     * @param nfs       the course's dynamic provisioner, run beside the controllers (null: not installed)
     * @param resourceMetrics metrics.k8s.io as the HPA controller reads it (not served without metrics-server)
     */
    public static ControlPlane start(Registry registry, SharedInformers informers, ClusterRuntime runtime,
                                     String rootCaPem, ClusterPki pki, NfsProvisioner nfs, ResourceMetricsApi resourceMetrics) {
        // the real namespace controller waits 5 s before emptying a namespace, for the other API servers' caches to see it
        // terminating; kubefake's API servers have no cache (on etcd each reads it), so none needs the wait
        NamespaceController namespaces = new NamespaceController(controller(registry, NamespaceController.NAME), informers, runtime,
                Duration.ZERO);
        DaemonSetController daemonSets = new DaemonSetController(controller(registry, "daemon-set-controller"), informers, runtime);
        NodeLifecycleController nodeLifecycle = new NodeLifecycleController(controller(registry, "node-controller"), informers,
                runtime, NodeLifecycleController.Settings.DEFAULTS);
        TaintEvictionController taintEviction = new TaintEvictionController(controller(registry, "taint-eviction-controller"),
                informers, runtime);
        PodGCController podGc = new PodGCController(controller(registry, "pod-garbage-collector"), informers, runtime,
                PodGCController.DEFAULT_TERMINATED_POD_THRESHOLD);
        ReplicaSetController replicaSets = new ReplicaSetController(ReplicaSetKind.REPLICA_SET,
                controller(registry, ReplicaSetKind.REPLICA_SET.component()), informers, runtime);
        ReplicationManager replication = new ReplicationManager(controller(registry, ReplicationManager.NAME), informers, runtime);
        DeploymentController deployments = new DeploymentController(controller(registry, DeploymentController.NAME), informers, runtime);
        StatefulSetController statefulSets = new StatefulSetController(controller(registry, StatefulSetController.NAME),
                informers, runtime);
        JobController jobs = new JobController(controller(registry, JobController.NAME), informers, runtime);
        CronJobController cronJobs = new CronJobController(controller(registry, CronJobController.NAME), informers, runtime);
        TtlAfterFinishedController ttlAfterFinished = new TtlAfterFinishedController(
                controller(registry, TtlAfterFinishedController.NAME), informers, runtime);
        DisruptionController disruption = new DisruptionController(controller(registry, DisruptionController.NAME), informers, runtime);
        HorizontalController autoscalers = new HorizontalController(controller(registry, HorizontalController.NAME), informers,
                runtime, resourceMetrics);
        GarbageCollector gc = new GarbageCollector(controller(registry, GarbageCollector.SERVICE_ACCOUNT), informers, runtime);
        ServiceAccountsController serviceAccounts = new ServiceAccountsController(
                controller(registry, ServiceAccountsController.SERVICE_ACCOUNT), informers, runtime);
        // the controller manager signs legacy token Secrets with its own credentials and the cluster's sa.key
        TokensController tokens = new TokensController(new Client(registry, UserInfo.KUBE_CONTROLLER_MANAGER, CONTROLLER_MANAGER),
                informers, runtime, new kubefake.certs.ServiceAccountKey(pki.serviceAccountKeyPair()), rootCaPem);
        RootCaCertPublisher rootCa = new RootCaCertPublisher(controller(registry, RootCaCertPublisher.SERVICE_ACCOUNT), informers,
                runtime, rootCaPem);
        EndpointsController endpoints = new EndpointsController(controller(registry, EndpointsController.SERVICE_ACCOUNT), informers,
                runtime);
        EndpointSliceController endpointSlices = new EndpointSliceController(
                controller(registry, EndpointSliceController.SERVICE_ACCOUNT), informers, runtime);
        CsrSigningController csrSigning = new CsrSigningController(controller(registry, CsrSigningController.SERVICE_ACCOUNT),
                informers, runtime, pki, CsrSigningController.DEFAULT_SIGNING_DURATION);
        PersistentVolumeController persistentVolumes = new PersistentVolumeController(
                controller(registry, PersistentVolumeController.SERVICE_ACCOUNT), informers, runtime);
        PvcProtectionController pvcProtection = new PvcProtectionController(
                controller(registry, PvcProtectionController.SERVICE_ACCOUNT), informers, runtime);
        PvProtectionController pvProtection = new PvProtectionController(
                controller(registry, PvProtectionController.SERVICE_ACCOUNT), informers, runtime);
        ExpandController expand = new ExpandController(controller(registry, ExpandController.SERVICE_ACCOUNT), informers, runtime);
        ResourceQuotaController resourceQuotas = new ResourceQuotaController(
                controller(registry, ResourceQuotaController.SERVICE_ACCOUNT), informers, runtime);
        namespaces.start();
        daemonSets.start();
        nodeLifecycle.start();
        taintEviction.start();
        podGc.start();
        replicaSets.start();
        replication.start();
        deployments.start();
        statefulSets.start();
        jobs.start();
        cronJobs.start();
        ttlAfterFinished.start();
        disruption.start();
        autoscalers.start();
        gc.start();
        serviceAccounts.start();
        tokens.start();
        rootCa.start();
        endpoints.start();
        endpointSlices.start();
        csrSigning.start();
        persistentVolumes.start();
        pvcProtection.start();
        pvProtection.start();
        resourceQuotas.start();
        List<AutoCloseable> addOns = nfs == null ? List.of() : List.of(nfs.start(registry, informers, runtime));
        return new ControlPlane(Stream.concat(addOns.stream(), Stream.of(resourceQuotas, persistentVolumes, pvcProtection, pvProtection, expand, namespaces, daemonSets, nodeLifecycle,
                taintEviction, podGc, replicaSets, replication, deployments, statefulSets, jobs, cronJobs, ttlAfterFinished,
                disruption, autoscalers, gc, serviceAccounts, tokens, rootCa, endpoints, endpointSlices, csrSigning)).toList());
    }

    /** The stored configurations of that resource (the stored revisions' shared trees: read only). */
    private static List<com.fasterxml.jackson.databind.node.ObjectNode> webhookConfigurations(Informer informer) {
        List<com.fasterxml.jackson.databind.node.ObjectNode> out = new java.util.ArrayList<>();
        for (var o : informer.list()) out.add(o.tree());
        return out;
    }

    /**
     * A kube-controller-manager controller's client: its own service account, which the controller manager's client
     * builder creates in kube-system when it starts the controller (so {@code get sa -n kube-system} lists them).
     */
    private static Client controller(Registry registry, String serviceAccount) {
        ObjectNode account = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ServiceAccount");
        account.putObject("metadata").put("name", serviceAccount).put("namespace", "kube-system");
        try {
            new Client(registry, UserInfo.KUBE_CONTROLLER_MANAGER, CONTROLLER_MANAGER).resource("", "serviceaccounts").create(account);
        } catch (StatusException e) {
            if (e.code() != 409) throw e;
        }
        return new Client(registry, UserInfo.controllerServiceAccount(serviceAccount), CONTROLLER_MANAGER);
    }

    @Override
    public void close() {
        for (AutoCloseable c : components) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c, e);
            }
        }
    }
}
