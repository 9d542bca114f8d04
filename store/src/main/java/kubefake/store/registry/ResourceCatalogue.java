package kubefake.store.registry;

import kubefake.store.registry.admission.policy.ValidatingAdmissionPolicyStrategy;
import kubefake.store.registry.ResourceType.Subresource;
import kubefake.store.registry.apiextensions.CustomResourceDefinitionStrategy;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.certificates.CertificateSigningRequestStrategy;
import kubefake.store.registry.rbac.RbacKinds;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;
import kubefake.store.registry.resources.ComponentStatusStrategy;
import kubefake.store.registry.resources.ComputedStrategy;
import kubefake.store.registry.resources.CronJobStrategy;
import kubefake.store.registry.resources.DaemonSetStrategy;
import kubefake.store.registry.resources.JobStrategy;
import kubefake.store.registry.resources.DefaultStrategy;
import kubefake.store.registry.resources.EventStrategy;
import kubefake.store.registry.resources.EventsV1Strategy;
import kubefake.store.registry.resources.HorizontalPodAutoscalerStrategy;
import kubefake.store.registry.resources.NamespaceStrategy;
import kubefake.store.registry.resources.NodeStrategy;
import kubefake.store.registry.resources.PodDisruptionBudgetStrategy;
import kubefake.store.registry.resources.PodStrategy;
import kubefake.store.registry.resources.ReviewStrategy;
import kubefake.store.registry.resources.ServiceStrategy;
import kubefake.store.registry.resources.StatusStrategy;
import kubefake.store.registry.resources.StatusStrategy.Trait;
import kubefake.store.registry.resources.WorkloadStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The resources kubefake serves: one line each (names as discovery shows them, and the strategy that says how the
 * resource differs from the generic machinery, with its kind's defaults, validation and field labels). Adding a
 * resource is adding a line here.
 */
public final class ResourceCatalogue {
    public record Entry(ResourceType type, Function<Registry, ResourceStrategy> strategyFactory) {
    }

    private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");
    private final List<Entry> entries = new ArrayList<>();

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The catalogue of a Kubernetes 1.33 cluster's built-in resources that kubefake serves. */
    public static ResourceCatalogue builtIn() {
        ResourceCatalogue c = new ResourceCatalogue();
        KindRules namespacedMeta = KindRules.metadataOnly(true);
        KindRules clusterMeta = KindRules.metadataOnly(false);
        // core/v1, in discovery order
        c.add("", "v1", "componentstatuses", "ComponentStatus", false, List.of("cs"), List.of(),
                r -> new ComponentStatusStrategy(), List.of("get", "list"));
        c.add("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of(),
                r -> new DefaultStrategy(namespacedMeta.withValidator(Validators.CONFIG_MAP)));
        c.add("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of(),
                r -> DefaultStrategy.createOnUpdate(namespacedMeta.withDefaulter(Defaulter.ENDPOINTS)));
        c.add("", "v1", "events", "Event", true, List.of("ev"), List.of(), r -> new EventStrategy());
        c.add("", "v1", "limitranges", "LimitRange", true, List.of("limits"), List.of(),
                r -> new DefaultStrategy(namespacedMeta.withDefaulter(Defaulter.LIMIT_RANGE).withValidator(Validators.LIMIT_RANGE)));
        c.add("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of(), r -> new NamespaceStrategy(),
                List.of("create", "delete", "get", "list", "patch", "update", "watch"),
                status("", "v1", "Namespace"), new Subresource("finalize", "", "v1", "Namespace", List.of("update")));
        c.add("", "v1", "nodes", "Node", false, List.of("no"), List.of(), r -> new NodeStrategy(), ResourceType.ALL_VERBS,
                status("", "v1", "Node"));
        c.add("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"), List.of(),
                r -> new StatusStrategy(namespacedMeta.withDefaulter(Defaulter.PERSISTENT_VOLUME_CLAIM), Trait.RETURNS_DELETED_OBJECT),
                ResourceType.ALL_VERBS,
                status("", "v1", "PersistentVolumeClaim"));
        c.add("", "v1", "persistentvolumes", "PersistentVolume", false, List.of("pv"), List.of(),
                r -> new StatusStrategy(clusterMeta.withDefaulter(Defaulter.PERSISTENT_VOLUME)
                        .withFieldLabels(FieldLabels.PERSISTENT_VOLUME), Trait.RETURNS_DELETED_OBJECT), ResourceType.ALL_VERBS,
                status("", "v1", "PersistentVolume"));
        c.add("", "v1", "pods", "Pod", true, List.of("po"), List.of("all"), r -> new PodStrategy(), ResourceType.ALL_VERBS,
                new Subresource("attach", "", "v1", "PodAttachOptions", List.of("create", "get")),
                new Subresource("binding", "", "v1", "Binding", List.of("create")),
                new Subresource("ephemeralcontainers", "", "v1", "Pod", List.of("get", "patch", "update")),
                new Subresource("eviction", "policy", "v1", "Eviction", List.of("create")),
                new Subresource("exec", "", "v1", "PodExecOptions", List.of("create", "get")),
                new Subresource("log", "", "v1", "Pod", List.of("get")),
                new Subresource("portforward", "", "v1", "PodPortForwardOptions", List.of("create", "get")),
                status("", "v1", "Pod"));
        c.add("", "v1", "podtemplates", "PodTemplate", true, List.of(), List.of(),
                r -> DefaultStrategy.returningDeletedObject(namespacedMeta.withDefaulter(Defaulter.POD_TEMPLATE)));
        c.add("", "v1", "replicationcontrollers", "ReplicationController", true, List.of("rc"), List.of("all"),
                r -> WorkloadStrategy.orphaningByDefault(namespacedMeta.withDefaulter(Defaulter.REPLICATION_CONTROLLER)
                        .withFieldLabels(FieldLabels.REPLICATION_CONTROLLER)), ResourceType.ALL_VERBS, scale(),
                status("", "v1", "ReplicationController"));
        c.add("", "v1", "resourcequotas", "ResourceQuota", true, List.of("quota"), List.of(),
                r -> new StatusStrategy(namespacedMeta, Trait.RETURNS_DELETED_OBJECT), ResourceType.ALL_VERBS, status("", "v1", "ResourceQuota"));
        c.add("", "v1", "secrets", "Secret", true, List.of(), List.of(),
                r -> new DefaultStrategy(new KindRules(Defaulter.SECRET, Validators.SECRET, FieldLabels.SECRET)));
        c.add("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of(), r -> DefaultStrategy.returningDeletedObject(namespacedMeta),
                ResourceType.ALL_VERBS, new Subresource("token", "authentication.k8s.io", "v1", "TokenRequest", List.of("create")));
        c.add("", "v1", "services", "Service", true, List.of("svc"), List.of("all"), ServiceStrategy::new,
                ResourceType.ALL_VERBS, status("", "v1", "Service"));
        // apps/v1
        c.add("apps", "v1", "controllerrevisions", "ControllerRevision", true, List.of(), List.of(),
                r -> new DefaultStrategy(namespacedMeta));
        c.add("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), List.of("all"), r -> new DaemonSetStrategy(),
                ResourceType.ALL_VERBS, status("apps", "v1", "DaemonSet"));
        c.add("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), List.of("all"),
                r -> new WorkloadStrategy(new KindRules(Defaulter.DEPLOYMENT, Validators.DEPLOYMENT, FieldLabels.METADATA)),
                ResourceType.ALL_VERBS, scale(), status("apps", "v1", "Deployment"));
        c.add("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), List.of("all"),
                r -> new WorkloadStrategy(new KindRules(Defaulter.REPLICA_SET, Validators.REPLICA_SET, FieldLabels.REPLICA_SET)),
                ResourceType.ALL_VERBS, scale(), status("apps", "v1", "ReplicaSet"));
        c.add("apps", "v1", "statefulsets", "StatefulSet", true, List.of("sts"), List.of("all"),
                r -> new WorkloadStrategy(new KindRules(Defaulter.STATEFUL_SET, Validators.STATEFUL_SET, FieldLabels.METADATA)),
                ResourceType.ALL_VERBS, scale(), status("apps", "v1", "StatefulSet"));
        // other groups
        c.add("coordination.k8s.io", "v1", "leases", "Lease", true, List.of(), List.of(), r -> new DefaultStrategy(namespacedMeta));
        c.add("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, List.of(), List.of(),
                r -> DefaultStrategy.withGeneration(namespacedMeta));
        // reviews: answered by the server's authenticator and authorizer, never stored
        ResourceStrategy review = new ReviewStrategy();
        c.add("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", false, List.of(), List.of(),
                r -> review, List.of("create"));
        c.add("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", false, List.of(), List.of(),
                r -> review, List.of("create"));
        c.add("authorization.k8s.io", "v1", "localsubjectaccessreviews", "LocalSubjectAccessReview", true, List.of(),
                List.of(), r -> review, List.of("create"));
        c.add("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, List.of(),
                List.of(), r -> review, List.of("create"));
        c.add("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false, List.of(),
                List.of(), r -> review, List.of("create"));
        c.add("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", false, List.of(), List.of(),
                r -> review, List.of("create"));
        // autoscaling/v2, and autoscaling/v1 stored as v2
        c.add("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, List.of("hpa"), List.of("all"),
                r -> new HorizontalPodAutoscalerStrategy(), ResourceType.ALL_VERBS, status("autoscaling", "v2", "HorizontalPodAutoscaler"));
        c.add("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, List.of("hpa"), List.of("all"),
                r -> HorizontalPodAutoscalerStrategy.v1(), ResourceType.ALL_VERBS,
                new ResourceType.Storage("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
                status("autoscaling", "v1", "HorizontalPodAutoscaler"));
        // batch/v1
        c.add("batch", "v1", "cronjobs", "CronJob", true, List.of("cj"), List.of("all"), r -> new CronJobStrategy(),
                ResourceType.ALL_VERBS, status("batch", "v1", "CronJob"));
        c.add("batch", "v1", "jobs", "Job", true, List.of(), List.of("all"), r -> new JobStrategy(),
                ResourceType.ALL_VERBS, status("batch", "v1", "Job"));
        // admissionregistration.k8s.io/v1: webhooks the admission chain calls
        c.add("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false,
                List.of(), List.of("api-extensions"), r -> DefaultStrategy.withGeneration(new KindRules(
                        Defaulter.MUTATING_WEBHOOK_CONFIGURATION, Validators.MUTATING_WEBHOOK_CONFIGURATION, FieldLabels.METADATA)));
        c.add("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false,
                List.of(), List.of("api-extensions"), r -> DefaultStrategy.withGeneration(new KindRules(
                        Defaulter.VALIDATING_WEBHOOK_CONFIGURATION, Validators.VALIDATING_WEBHOOK_CONFIGURATION, FieldLabels.METADATA)));
        c.add("admissionregistration.k8s.io", "v1", "validatingadmissionpolicies", "ValidatingAdmissionPolicy", false,
                List.of(), List.of("api-extensions"), r -> ValidatingAdmissionPolicyStrategy.policies(), ResourceType.ALL_VERBS,
                status("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"));
        c.add("admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", false,
                List.of(), List.of("api-extensions"), r -> ValidatingAdmissionPolicyStrategy.bindings());
        // policy/v1
        c.add("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, List.of("pdb"), List.of(),
                r -> new PodDisruptionBudgetStrategy(), ResourceType.ALL_VERBS, status("policy", "v1", "PodDisruptionBudget"));
        // scheduling.k8s.io/v1
        c.add("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, List.of("pc"), List.of(),
                r -> DefaultStrategy.withGeneration(new KindRules(Defaulter.PRIORITY_CLASS, Validators.PRIORITY_CLASS,
                        FieldLabels.METADATA)));
        // rbac.authorization.k8s.io/v1
        c.add("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, List.of(), List.of(),
                r -> DefaultStrategy.createOnUpdate(RbacKinds.CLUSTER_ROLE_BINDING));
        c.add("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, List.of(), List.of(),
                r -> DefaultStrategy.createOnUpdate(RbacKinds.CLUSTER_ROLE));
        c.add("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, List.of(), List.of(),
                r -> DefaultStrategy.createOnUpdate(RbacKinds.ROLE_BINDING));
        c.add("rbac.authorization.k8s.io", "v1", "roles", "Role", true, List.of(), List.of(),
                r -> DefaultStrategy.createOnUpdate(RbacKinds.ROLE));
        // certificates.k8s.io/v1
        c.add(CertificateSigningRequestStrategy.GROUP, "v1", "certificatesigningrequests", "CertificateSigningRequest", false,
                List.of("csr"), List.of(), r -> new CertificateSigningRequestStrategy(), ResourceType.ALL_VERBS,
                new Subresource("approval", CertificateSigningRequestStrategy.GROUP, "v1", "CertificateSigningRequest", STATUS_VERBS),
                status(CertificateSigningRequestStrategy.GROUP, "v1", "CertificateSigningRequest"));
        // metrics.k8s.io/v1beta1: metrics-server's aggregated API, computed from the simulated nodes on each read
        c.add("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false, List.of(), List.of(), r -> new ComputedStrategy(false),
                List.of("get", "list"));
        c.add("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", true, List.of(), List.of(), r -> new ComputedStrategy(true),
                List.of("get", "list"));
        // networking.k8s.io/v1 (pkg/registry/networking): spec changes bump the generation of ingress classes,
        // ingresses and network policies; ServiceCIDRs and IPAddresses are the MultiCIDRServiceAllocator's, still
        // stored as v1beta1 by 1.33 (the same schema: their storageVersionHash says so, nothing is converted)
        c.add("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false, List.of(), List.of(),
                r -> DefaultStrategy.withGeneration(clusterMeta.withDefaulter(Defaulter.INGRESS_CLASS)
                        .withValidator(Validators.INGRESS_CLASS)));
        c.add("networking.k8s.io", "v1", "ingresses", "Ingress", true, List.of("ing"), List.of(),
                r -> new StatusStrategy(namespacedMeta.withValidator(Validators.INGRESS)) {
                    @Override
                    public boolean tracksGeneration() { return true; }
                }, ResourceType.ALL_VERBS, status("networking.k8s.io", "v1", "Ingress"));
        c.add("networking.k8s.io", "v1", "ipaddresses", "IPAddress", false, List.of("ip"), List.of(),
                r -> new DefaultStrategy(clusterMeta.withValidator(Validators.IP_ADDRESS)), ResourceType.ALL_VERBS,
                new ResourceType.Storage("networking.k8s.io", "v1beta1", "IPAddress", "ipaddresses"));
        c.add("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, List.of("netpol"), List.of(),
                r -> DefaultStrategy.withGeneration(namespacedMeta.withDefaulter(Defaulter.NETWORK_POLICY)
                        .withValidator(Validators.NETWORK_POLICY)));
        c.add("networking.k8s.io", "v1", "servicecidrs", "ServiceCIDR", false, List.of(), List.of(),
                r -> new StatusStrategy(clusterMeta.withValidator(Validators.SERVICE_CIDR)), ResourceType.ALL_VERBS,
                new ResourceType.Storage("networking.k8s.io", "v1beta1", "ServiceCIDR", "servicecidrs"),
                status("networking.k8s.io", "v1", "ServiceCIDR"));
        // storage.k8s.io/v1: classes, CSI drivers and nodes (the kubelets register theirs), capacities, attachments
        c.add("storage.k8s.io", "v1", "csidrivers", "CSIDriver", false, List.of(), List.of(),
                r -> DefaultStrategy.returningDeletedObject(new KindRules(Defaulter.CSI_DRIVER, Validators.CSI_DRIVER, FieldLabels.METADATA)));
        c.add("storage.k8s.io", "v1", "csinodes", "CSINode", false, List.of(), List.of(),
                r -> DefaultStrategy.returningDeletedObject(clusterMeta.withValidator(Validators.CSI_NODE)));
        c.add("storage.k8s.io", "v1", "csistoragecapacities", "CSIStorageCapacity", true, List.of(), List.of(),
                r -> new DefaultStrategy(namespacedMeta.withValidator(Validators.CSI_STORAGE_CAPACITY)));
        c.add("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, List.of("sc"), List.of(),
                r -> DefaultStrategy.returningDeletedObject(new KindRules(Defaulter.STORAGE_CLASS, Validators.STORAGE_CLASS, FieldLabels.METADATA)));
        c.add("storage.k8s.io", "v1", "volumeattachments", "VolumeAttachment", false, List.of(), List.of(),
                r -> new StatusStrategy(clusterMeta.withValidator(Validators.VOLUME_ATTACHMENT), Trait.RETURNS_DELETED_OBJECT,
                        Trait.CONDITIONAL_UPDATES_ONLY), ResourceType.ALL_VERBS,
                status("storage.k8s.io", "v1", "VolumeAttachment"));
        // node.k8s.io/v1
        c.add("node.k8s.io", "v1", "runtimeclasses", "RuntimeClass", false, List.of(), List.of(),
                r -> new DefaultStrategy(clusterMeta.withValidator(Validators.RUNTIME_CLASS)));
        // flowcontrol.apiserver.k8s.io/v1: API Priority and Fairness' configuration (served, not enforced)
        c.add("flowcontrol.apiserver.k8s.io", "v1", "flowschemas", "FlowSchema", false, List.of(), List.of(),
                r -> new StatusStrategy(clusterMeta, Trait.TRACKS_GENERATION), ResourceType.ALL_VERBS,
                status("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"));
        c.add("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", "PriorityLevelConfiguration", false,
                List.of(), List.of(), r -> new StatusStrategy(clusterMeta, Trait.TRACKS_GENERATION), ResourceType.ALL_VERBS,
                status("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"));
        // apiregistration.k8s.io/v1: the aggregator's APIServices (registered at startup, one per served group-version;
        // named version.group, "v1." for the core group: a path segment, not a DNS name)
        c.add("apiregistration.k8s.io", "v1", "apiservices", "APIService", false, List.of(), List.of("api-extensions"),
                r -> new StatusStrategy(new KindRules(Defaulter.NONE, Validators.API_SERVICE, FieldLabels.METADATA),
                        Trait.CONDITIONAL_UPDATES_ONLY),
                ResourceType.ALL_VERBS, status("apiregistration.k8s.io", "v1", "APIService"));
        // apiextensions.k8s.io/v1: the definitions; what they define joins the catalogue as they are established
        c.add(CustomResourceDefinitionStrategy.GROUP, "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
                List.of("crd", "crds"), List.of("api-extensions"), r -> new CustomResourceDefinitionStrategy(),
                ResourceType.ALL_VERBS, status(CustomResourceDefinitionStrategy.GROUP, "v1", "CustomResourceDefinition"));
        c.add("events.k8s.io", "v1", "events", "Event", true, List.of("ev"), List.of(), r -> new EventsV1Strategy(),
                ResourceType.ALL_VERBS, new ResourceType.Storage("", "v1", "Event", "events"));
        return c;
    }

    /** This catalogue less a group's resources (an add-on the cluster does not run, such as metrics-server's API). */
    public ResourceCatalogue without(String group) {
        entries.removeIf(e -> e.type().group().equals(group));
        return this;
    }

    private static Subresource status(String group, String version, String kind) {
        return new Subresource("status", group, version, kind, STATUS_VERBS);
    }

    private static Subresource scale() {
        return new Subresource("scale", "autoscaling", "v1", "Scale", STATUS_VERBS);
    }

    private void add(String group, String version, String resource, String kind, boolean namespaced,
                     List<String> shortNames, List<String> categories, Function<Registry, ResourceStrategy> strategy) {
        add(group, version, resource, kind, namespaced, shortNames, categories, strategy, ResourceType.ALL_VERBS);
    }

    public void add(String group, String version, String resource, String kind, boolean namespaced,
                    List<String> shortNames, List<String> categories, Function<Registry, ResourceStrategy> strategy,
                    List<String> verbs, Subresource... subresources) {
        add(group, version, resource, kind, namespaced, shortNames, categories, strategy, verbs, null, subresources);
    }

    private void add(String group, String version, String resource, String kind, boolean namespaced,
                     List<String> shortNames, List<String> categories, Function<Registry, ResourceStrategy> strategy,
                     List<String> verbs, ResourceType.Storage storage, Subresource... subresources) {
        String singular = kind.toLowerCase(java.util.Locale.ROOT);
        entries.add(new Entry(new ResourceType(group, version, resource, singular, kind, kind + "List", namespaced,
                shortNames, categories, verbs, List.of(subresources), storage), strategy));
    }
}
