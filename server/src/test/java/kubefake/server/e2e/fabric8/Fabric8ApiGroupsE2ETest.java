package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The newer API groups through fabric8's typed clients, as Java code under test uses them: batch/v1,
 * networking.k8s.io/v1, policy/v1 (with the eviction API), autoscaling/v2, storage.k8s.io/v1, scheduling.k8s.io/v1,
 * node.k8s.io/v1, admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies, CRDs with the generic client, and
 * metrics.k8s.io through {@code top()}: what each call returns, with the defaults a real 1.33 server fills in.
 */
class Fabric8ApiGroupsE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void namespace() {
        client = Fabric8Clients.adminWithHttpWatches();
        ns = Fabric8Clients.newNamespace(client, "fabric8-groups");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    /** The events of a watch, as "TYPE name". */
    private static final class Events<T extends HasMetadata> implements Watcher<T> {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @Override
        public void eventReceived(Action action, T resource) {
            seen.add(action + " " + resource.getMetadata().getName());
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        /** Waits for the event, skipping others; the ones skipped are returned. */
        List<String> await(String event) throws InterruptedException {
            List<String> before = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                String e = seen.poll(1, TimeUnit.SECONDS);
                if (event.equals(e)) return before;
                if (e != null) before.add(e);
            }
            throw new AssertionError("no " + event + " after " + before);
        }
    }

    private static <T extends HasMetadata> Events<T> watch(Watchable<T> what, List<Watch> open) {
        Events<T> events = new Events<>();
        open.add(what.watch(events));
        return events;
    }

    @Test
    void jobsRunToCompletionAndCronJobsAreDefaultedUpdatedAndDeleted() throws Exception {
        var jobs = client.batch().v1().jobs().inNamespace(ns);
        List<Watch> watches = new ArrayList<>();
        try {
            Events<Job> events = watch(jobs, watches);
            Job job = jobs.resource(new JobBuilder().withNewMetadata().withName("hello").endMetadata()
                    .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("hello").withImage("busybox").withCommand("sh", "-c", "echo hello")
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
            assertEquals(1, job.getSpec().getCompletions());
            assertEquals(1, job.getSpec().getParallelism());
            assertEquals(6, job.getSpec().getBackoffLimit());
            assertEquals("NonIndexed", job.getSpec().getCompletionMode());
            assertEquals(false, job.getSpec().getSuspend());
            assertEquals("TerminatingOrFailed", job.getSpec().getPodReplacementPolicy());
            String uid = job.getMetadata().getUid();
            assertEquals(Map.of("batch.kubernetes.io/controller-uid", uid), job.getSpec().getSelector().getMatchLabels());
            assertEquals(uid, job.getSpec().getTemplate().getMetadata().getLabels().get("controller-uid"));
            assertEquals("hello", job.getSpec().getTemplate().getMetadata().getLabels().get("batch.kubernetes.io/job-name"));

            events.await("ADDED hello");
            Job done = jobs.withName("hello").waitUntilCondition(j -> j != null && j.getStatus() != null
                    && j.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Complete")
                    && c.getStatus().equals("True")), 60, TimeUnit.SECONDS);
            assertEquals(1, done.getStatus().getSucceeded());
            assertNotNull(done.getStatus().getCompletionTime());
            events.await("MODIFIED hello");
            List<Pod> pods = client.pods().inNamespace(ns).withLabel("batch.kubernetes.io/job-name", "hello").list().getItems();
            assertEquals(1, pods.size());
            assertEquals("Succeeded", pods.get(0).getStatus().getPhase());
            assertEquals("hello\n", client.pods().inNamespace(ns).withName(pods.get(0).getMetadata().getName()).getLog());
            assertEquals(List.of("hello"), jobs.list().getItems().stream().map(j -> j.getMetadata().getName()).toList());

            var cronJobs = client.batch().v1().cronjobs().inNamespace(ns);
            Events<CronJob> cronEvents = watch(cronJobs, watches);
            CronJob cron = cronJobs.resource(new CronJobBuilder().withNewMetadata().withName("nightly").endMetadata()
                    .withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
                    .withRestartPolicy("OnFailure").addNewContainer().withName("c").withImage("busybox").endContainer()
                    .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
            assertEquals("Allow", cron.getSpec().getConcurrencyPolicy());
            assertEquals(false, cron.getSpec().getSuspend());
            assertEquals(3, cron.getSpec().getSuccessfulJobsHistoryLimit());
            assertEquals(1, cron.getSpec().getFailedJobsHistoryLimit());
            cronEvents.await("ADDED nightly");
            CronJob edited = cronJobs.withName("nightly").edit(c -> {
                c.getSpec().setSchedule("*/10 * * * *");
                c.getSpec().setSuspend(true);
                return c;
            });
            assertEquals("*/10 * * * *", edited.getSpec().getSchedule());
            assertEquals(true, cronJobs.withName("nightly").get().getSpec().getSuspend());
            cronEvents.await("MODIFIED nightly");
            KubernetesClientException invalid = assertThrows(KubernetesClientException.class,
                    () -> cronJobs.withName("nightly").edit(c -> {
                        c.getSpec().setSchedule("every day");
                        return c;
                    }));
            assertEquals(422, invalid.getCode());
            assertTrue(invalid.getStatus().getMessage().startsWith("CronJob.batch \"nightly\" is invalid: spec.schedule: "
                    + "Invalid value: \"every day\": "), invalid.getStatus().getMessage());
            assertFalse(cronJobs.withName("nightly").delete().isEmpty());
            cronEvents.await("DELETED nightly");
            assertNull(cronJobs.withName("nightly").get());
        } finally {
            watches.forEach(Watch::close);
        }
    }

    @Test
    void ingressesIngressClassesAndNetworkPolicies() throws Exception {
        var classes = client.network().v1().ingressClasses();
        String className = ns + "-nginx";
        IngressClass ic = classes.resource(new IngressClassBuilder().withNewMetadata().withName(className).endMetadata()
                .withNewSpec().withController("k8s.io/ingress-nginx").endSpec().build()).create();
        try {
            assertEquals("k8s.io/ingress-nginx", classes.withName(className).get().getSpec().getController());
            assertTrue(classes.list().getItems().stream().anyMatch(c -> c.getMetadata().getName().equals(className)));
            KubernetesClientException immutable = assertThrows(KubernetesClientException.class,
                    () -> classes.withName(className).edit(c -> {
                        c.getSpec().setController("example.com/other");
                        return c;
                    }));
            assertEquals(422, immutable.getCode());
            assertEquals("IngressClass.networking.k8s.io \"" + className + "\" is invalid: spec.controller: Invalid value: "
                    + "\"example.com/other\": field is immutable", immutable.getStatus().getMessage());

            var ingresses = client.network().v1().ingresses().inNamespace(ns);
            List<Watch> watches = new ArrayList<>();
            try {
                Events<Ingress> events = watch(ingresses, watches);
                Ingress ing = ingresses.resource(new IngressBuilder().withNewMetadata().withName("web").endMetadata()
                        .withNewSpec().withIngressClassName(className).addNewRule().withHost("web.example.com")
                        .withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
                        .withName("web").withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                        .endHttp().endRule().endSpec().build()).create();
                assertEquals(className, ing.getSpec().getIngressClassName());
                assertEquals(80, ing.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService()
                        .getPort().getNumber());
                assertNotNull(ing.getStatus());
                assertNotNull(ing.getStatus().getLoadBalancer());
                events.await("ADDED web");
                ingresses.withName("web").edit(i -> {
                    i.getSpec().getRules().get(0).setHost("www.example.com");
                    return i;
                });
                events.await("MODIFIED web");
                assertEquals("www.example.com", ingresses.withName("web").get().getSpec().getRules().get(0).getHost());
                KubernetesClientException noPathType = assertThrows(KubernetesClientException.class,
                        () -> ingresses.resource(new IngressBuilder().withNewMetadata().withName("bad").endMetadata()
                                .withNewSpec().addNewRule().withNewHttp().addNewPath().withPath("/").withNewBackend()
                                .withNewService().withName("web").withNewPort().withNumber(80).endPort().endService()
                                .endBackend().endPath().endHttp().endRule().endSpec().build()).create());
                assertEquals(422, noPathType.getCode());
                assertEquals("spec.rules[0].http.paths[0].pathType", noPathType.getStatus().getDetails().getCauses().get(0).getField());
                assertFalse(ingresses.withName("web").delete().isEmpty());
                events.await("DELETED web");
            } finally {
                watches.forEach(Watch::close);
            }
        } finally {
            classes.withName(className).delete();
        }

        var policies = client.network().v1().networkPolicies().inNamespace(ns);
        NetworkPolicy np = policies.resource(new NetworkPolicyBuilder().withNewMetadata().withName("web-allow").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "web").endPodSelector()
                .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("access", "true").endPodSelector().endFrom()
                .addNewPort().withPort(new IntOrString(80)).endPort().endIngress().endSpec().build()).create();
        assertEquals(List.of("Ingress"), np.getSpec().getPolicyTypes());
        assertEquals("TCP", np.getSpec().getIngress().get(0).getPorts().get(0).getProtocol());
        assertEquals(List.of("web-allow"), policies.list().getItems().stream().map(p -> p.getMetadata().getName()).toList());
        assertFalse(policies.withName("web-allow").delete().isEmpty());
    }

    @Test
    void aDisruptionBudgetRefusesAnEvictionUntilItAllowsOne() {
        String app = "db";
        client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata().withName(app).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata().withNewSpec()
                .addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
        var budgets = client.policy().v1().podDisruptionBudget().inNamespace(ns);
        PodDisruptionBudget pdb = budgets.resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName(app).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(2)).withNewSelector().addToMatchLabels("app", app).endSelector()
                .endSpec().build()).create();
        assertEquals(2, pdb.getSpec().getMinAvailable().getIntVal());
        budgets.withName(app).waitUntilCondition(b -> b.getStatus() != null && b.getStatus().getCurrentHealthy() != null
                && b.getStatus().getCurrentHealthy() == 2 && b.getStatus().getObservedGeneration() != null, 60, TimeUnit.SECONDS);
        PodDisruptionBudget healthy = budgets.withName(app).get();
        assertEquals(0, healthy.getStatus().getDisruptionsAllowed());
        assertEquals(2, healthy.getStatus().getDesiredHealthy());
        assertEquals(2, healthy.getStatus().getExpectedPods());
        assertTrue(healthy.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("DisruptionAllowed")
                && c.getStatus().equals("False") && c.getReason().equals("InsufficientPods")), healthy.getStatus()::toString);

        String victim = client.pods().inNamespace(ns).withLabel("app", app).list().getItems().get(0).getMetadata().getName();
        assertFalse(client.pods().inNamespace(ns).withName(victim).evict(), "the budget's 429 is fabric8's false");
        assertNull(client.pods().inNamespace(ns).withName(victim).get().getMetadata().getDeletionTimestamp());

        budgets.withName(app).edit(b -> {
            b.getSpec().setMinAvailable(new IntOrString(1));
            return b;
        });
        budgets.withName(app).waitUntilCondition(b -> b.getStatus().getDisruptionsAllowed() == 1, 60, TimeUnit.SECONDS);
        assertTrue(client.pods().inNamespace(ns).withName(victim).evict());
        Pod evicted = client.pods().inNamespace(ns).withName(victim).get();
        assertTrue(evicted == null || evicted.getMetadata().getDeletionTimestamp() != null, String.valueOf(evicted));
        assertFalse(budgets.withName(app).delete().isEmpty());
    }

    @Test
    void horizontalPodAutoscalersOfAutoscalingV2() throws Exception {
        var hpas = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns);
        List<Watch> watches = new ArrayList<>();
        try {
            Events<HorizontalPodAutoscaler> events = watch(hpas, watches);
            HorizontalPodAutoscaler hpa = hpas.resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("web")
                    .endMetadata().withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                    .withName("web").endScaleTargetRef().withMaxReplicas(5).addNewMetric().withType("Resource")
                    .withNewResource().withName("cpu").withNewTarget().withType("Utilization").withAverageUtilization(50)
                    .endTarget().endResource().endMetric().endSpec().build()).create();
            assertEquals(1, hpa.getSpec().getMinReplicas(), "defaulted");
            assertEquals(50, hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization());
            assertNull(hpa.getSpec().getBehavior(), "behavior is defaulted only when given");
            events.await("ADDED web");
            hpas.withName("web").edit(h -> {
                h.getSpec().setMaxReplicas(8);
                return h;
            });
            events.await("MODIFIED web");
            assertEquals(8, hpas.withName("web").get().getSpec().getMaxReplicas());
            KubernetesClientException invalid = assertThrows(KubernetesClientException.class, () -> hpas.withName("web").edit(h -> {
                h.getSpec().setMaxReplicas(0);
                return h;
            }));
            assertEquals(422, invalid.getCode());
            assertEquals("spec.maxReplicas", invalid.getStatus().getDetails().getCauses().get(0).getField());
            // the v1 view of the same object
            assertEquals(8, client.autoscaling().v1().horizontalPodAutoscalers().inNamespace(ns).withName("web").get()
                    .getSpec().getMaxReplicas());
            assertFalse(hpas.withName("web").delete().isEmpty());
            events.await("DELETED web");
        } finally {
            watches.forEach(Watch::close);
        }
    }

    @Test
    void storageClassesAndAClaimTheCoursesProvisionerBinds() {
        var storageClasses = client.storage().v1().storageClasses();
        StorageClass managed = storageClasses.withName("managed-nfs-storage").get();
        assertEquals("k8s-sigs.io/nfs-subdir-external-provisioner", managed.getProvisioner());
        String name = ns + "-slow";
        StorageClass sc = storageClasses.resource(new StorageClassBuilder().withNewMetadata().withName(name).endMetadata()
                .withProvisioner("example.com/slow").build()).create();
        try {
            assertEquals("Delete", sc.getReclaimPolicy());
            assertEquals("Immediate", sc.getVolumeBindingMode());
            assertTrue(storageClasses.list().getItems().stream().anyMatch(c -> c.getMetadata().getName().equals(name)));
            StorageClass labelled = storageClasses.withName(name).edit(c -> {
                c.getMetadata().setLabels(Map.of("speed", "slow"));
                return c;
            });
            assertEquals(Map.of("speed", "slow"), labelled.getMetadata().getLabels());
        } finally {
            storageClasses.withName(name).delete();
        }

        var claims = client.persistentVolumeClaims().inNamespace(ns);
        PersistentVolumeClaim claim = claims.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data")
                .endMetadata().withNewSpec().withStorageClassName("managed-nfs-storage").withAccessModes("ReadWriteMany")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        assertEquals("Pending", claim.getStatus().getPhase());
        assertEquals("Filesystem", claim.getSpec().getVolumeMode());
        PersistentVolumeClaim bound = claims.withName("data").waitUntilCondition(c -> c.getStatus() != null
                && "Bound".equals(c.getStatus().getPhase()), 60, TimeUnit.SECONDS);
        String volumeName = "pvc-" + bound.getMetadata().getUid();
        assertEquals(volumeName, bound.getSpec().getVolumeName());
        assertEquals(new Quantity("1Gi"), bound.getStatus().getCapacity().get("storage"));
        assertEquals(List.of("ReadWriteMany"), bound.getStatus().getAccessModes());
        PersistentVolume volume = client.persistentVolumes().withName(volumeName).get();
        assertEquals("data", volume.getSpec().getClaimRef().getName());
        assertEquals(ns, volume.getSpec().getClaimRef().getNamespace());
        assertEquals("Delete", volume.getSpec().getPersistentVolumeReclaimPolicy());
        assertFalse(claims.withName("data").delete().isEmpty());
        client.persistentVolumes().withName(volumeName).waitUntilCondition(v -> v == null, 60, TimeUnit.SECONDS);
    }

    @Test
    void priorityClassesAndRuntimeClasses() {
        var priorityClasses = client.scheduling().v1().priorityClasses();
        String name = ns + "-high";
        PriorityClass pc = priorityClasses.resource(new PriorityClassBuilder().withNewMetadata().withName(name).endMetadata()
                .withValue(100000).withDescription("for the important pods").build()).create();
        try {
            assertEquals("PreemptLowerPriority", pc.getPreemptionPolicy());
            assertNull(pc.getGlobalDefault(), "false is omitted, as scheduling/v1 writes it");
            assertEquals(2000000000, priorityClasses.withName("system-cluster-critical").get().getValue());
            KubernetesClientException immutable = assertThrows(KubernetesClientException.class,
                    () -> priorityClasses.withName(name).edit(p -> {
                        p.setValue(5);
                        return p;
                    }));
            assertEquals(422, immutable.getCode());
            assertEquals("PriorityClass.scheduling.k8s.io \"" + name + "\" is invalid: value: Forbidden: may not be changed "
                    + "in an update.", immutable.getStatus().getMessage());
            assertEquals("changed", priorityClasses.withName(name).edit(p -> {
                p.setDescription("changed");
                return p;
            }).getDescription());
        } finally {
            assertFalse(priorityClasses.withName(name).delete().isEmpty());
        }

        var runtimeClasses = client.resources(RuntimeClass.class); // fabric8 has no node() group DSL: its typed client for any model class
        String rc = ns + "-gvisor";
        RuntimeClass created = runtimeClasses.resource(new RuntimeClassBuilder().withNewMetadata().withName(rc).endMetadata()
                .withHandler("runsc").build()).create();
        try {
            assertEquals("runsc", created.getHandler());
            assertEquals("runsc", runtimeClasses.withName(rc).get().getHandler());
            assertTrue(runtimeClasses.list().getItems().stream().anyMatch(r -> r.getMetadata().getName().equals(rc)));
            KubernetesClientException immutable = assertThrows(KubernetesClientException.class,
                    () -> runtimeClasses.withName(rc).edit(r -> {
                        r.setHandler("runc");
                        return r;
                    }));
            assertEquals(422, immutable.getCode());
            assertEquals("handler", immutable.getStatus().getDetails().getCauses().get(0).getField());
        } finally {
            assertFalse(runtimeClasses.withName(rc).delete().isEmpty());
        }
    }

    @Test
    void aValidatingAdmissionPolicyRefusesWhatItsExpressionFails() throws Exception {
        String policyName = ns + "-small-configmaps";
        var policies = client.admissionRegistration().v1().validatingAdmissionPolicies();
        var bindings = client.admissionRegistration().v1().validatingAdmissionPolicyBindings();
        ValidatingAdmissionPolicy policy = policies.resource(new ValidatingAdmissionPolicyBuilder().withNewMetadata()
                .withName(policyName).endMetadata().withNewSpec().withNewMatchConstraints().addNewResourceRule()
                .withApiGroups("").withApiVersions("v1").withOperations("CREATE", "UPDATE").withResources("configmaps")
                .endResourceRule().endMatchConstraints().addNewValidation()
                .withExpression("!has(object.data) || object.data.size() <= 1").withMessage("at most one key").endValidation()
                .endSpec().build()).create();
        try {
            assertEquals("Fail", policy.getSpec().getFailurePolicy());
            assertEquals("Equivalent", policy.getSpec().getMatchConstraints().getMatchPolicy());
            ValidatingAdmissionPolicyBinding binding = bindings.resource(new ValidatingAdmissionPolicyBindingBuilder()
                    .withNewMetadata().withName(policyName).endMetadata().withNewSpec().withPolicyName(policyName)
                    .withValidationActions("Deny").withNewMatchResources().withNewNamespaceSelector()
                    .addToMatchLabels("kubernetes.io/metadata.name", ns).endNamespaceSelector().endMatchResources()
                    .endSpec().build()).create();
            assertEquals(policyName, binding.getSpec().getPolicyName());

            var configMaps = client.configMaps().inNamespace(ns);
            KubernetesClientException denied = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (denied == null && System.nanoTime() < end) { // the binding takes effect once the API server has seen it
                try {
                    configMaps.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                            .withGenerateName("big-").endMetadata().addToData("a", "1").addToData("b", "2").build()).create();
                    Thread.sleep(100);
                } catch (KubernetesClientException e) {
                    denied = e;
                }
            }
            assertNotNull(denied, "the policy never refused");
            assertEquals(422, denied.getCode());
            assertEquals("Invalid", denied.getStatus().getReason());
            assertTrue(denied.getStatus().getMessage().endsWith("ValidatingAdmissionPolicy '" + policyName + "' with binding '"
                    + policyName + "' denied request: at most one key"), denied.getStatus().getMessage());
            configMaps.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("small")
                    .endMetadata().addToData("a", "1").build()).create();
            assertFalse(bindings.withName(policyName).delete().isEmpty());
        } finally {
            policies.withName(policyName).delete();
        }
    }

    @Test
    void customResourcesThroughTheGenericClientWithAWatch() throws Exception {
        String group = ns + ".example.com";
        Fabric8Clients.createEstablishedDefinition(client, """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.%1$s}
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              color: {type: string, default: blue}
                """.formatted(group));
        try {
            var widgets = client.genericKubernetesResources(group + "/v1", "Widget").inNamespace(ns);
            List<Watch> watches = new ArrayList<>();
            try {
                Events<GenericKubernetesResource> events = watch(widgets, watches);
                GenericKubernetesResource created = widgets.resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion(group + "/v1").withKind("Widget").withNewMetadata().withName("w1").endMetadata()
                        .withAdditionalProperties(Map.of("spec", Map.of(), "unknown", "pruned")).build()).create();
                assertEquals(Map.of("color", "blue"), created.getAdditionalProperties().get("spec"));
                assertFalse(created.getAdditionalProperties().containsKey("unknown"), "pruned");
                events.await("ADDED w1");
                widgets.withName("w1").edit(w -> {
                    w.getAdditionalProperties().put("spec", Map.of("color", "red"));
                    return w;
                });
                events.await("MODIFIED w1");
                assertEquals(Map.of("color", "red"), widgets.withName("w1").get().getAdditionalProperties().get("spec"));
                assertEquals(1, widgets.list().getItems().size());
                assertFalse(widgets.withName("w1").delete().isEmpty());
                events.await("DELETED w1");
            } finally {
                watches.forEach(Watch::close);
            }
        } finally {
            client.apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
        }
    }

    @Test
    void topReadsMetricsServersNodeAndPodMetrics() {
        List<NodeMetrics> nodes = client.top().nodes().metrics().getItems();
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"),
                nodes.stream().map(n -> n.getMetadata().getName()).sorted().toList());
        for (NodeMetrics n : nodes) {
            assertTrue(Quantity.getAmountInBytes(n.getUsage().get("memory")).signum() > 0, n::toString);
            assertTrue(n.getUsage().get("cpu").getNumericalAmount().signum() > 0, n::toString);
            assertNotNull(n.getTimestamp());
            assertNotNull(n.getWindow());
        }
        NodeMetrics one = client.top().nodes().metrics("w1-k8s");
        assertEquals("w1-k8s", one.getMetadata().getName());
        List<PodMetrics> pods = client.top().pods().metrics("kube-system").getItems();
        assertTrue(pods.stream().anyMatch(p -> p.getMetadata().getName().equals("kube-apiserver-m-k8s")), pods::toString);
        for (PodMetrics p : pods) {
            assertEquals("kube-system", p.getMetadata().getNamespace());
            assertFalse(p.getContainers().isEmpty(), p::toString);
            assertNotNull(p.getContainers().get(0).getUsage().get("cpu"), p::toString);
        }
    }
}
