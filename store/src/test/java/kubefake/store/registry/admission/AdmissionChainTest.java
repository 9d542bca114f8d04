package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admission chain as a client of the registry meets it: every write passes it, with its request context. */
class AdmissionChainTest {
    private static final RequestContext ALICE = RequestContext.of(new UserInfo("alice", "", List.of("system:authenticated")))
            .withFieldManager("kubectl-create");

    private Registry registry;
    private ResourceStore namespaces;
    private ResourceStore pods;

    @BeforeEach
    void setUp() {
        registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC),
                ResourceCatalogue.builtIn());
        namespaces = registry.resource("", "namespaces");
        pods = registry.resource("", "pods");
        namespaces.create("", object("v1", "Namespace", "default"), RequestContext.LOOPBACK);
    }

    private static ObjectNode object(String apiVersion, String kind, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        o.putObject("metadata").put("name", name);
        return o;
    }

    private static ObjectNode pod(String name) {
        ObjectNode p = object("v1", "Pod", name);
        p.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "nginx");
        return p;
    }

    @Test
    void pluginsRunInKubeApiserversOrder() {
        assertEquals(List.of("NamespaceLifecycle", "LimitRanger", "ServiceAccount", "Priority", "DefaultTolerationSeconds",
                        "DefaultStorageClass", "StorageObjectInUseProtection", "RuntimeClass", "DefaultIngressClass",
                        "LimitRanger", "ServiceAccount", "PersistentVolumeClaimResize", "RuntimeClass", "ResourceQuota"),
                registry.admission().names());
    }

    @Test
    void namespaceLifecycleRefusesMissingAndTerminatingNamespaces() {
        StatusException missing = assertThrows(StatusException.class,
                () -> registry.resource("", "configmaps").create("nope", object("v1", "ConfigMap", "c"), ALICE));
        assertEquals(404, missing.code());
        assertEquals("namespaces \"nope\" not found", missing.getMessage());

        namespaces.create("", object("v1", "Namespace", "leaving"), RequestContext.LOOPBACK);
        registry.resource("", "configmaps").create("leaving", object("v1", "ConfigMap", "kept"), ALICE);
        namespaces.delete("", "leaving", DeleteOptions.DEFAULT, ALICE);
        StatusException terminating = assertThrows(StatusException.class,
                () -> registry.resource("", "configmaps").create("leaving", object("v1", "ConfigMap", "c"), ALICE));
        assertEquals(403, terminating.code());
        assertEquals("configmaps \"c\" is forbidden: unable to create new content in namespace leaving because it is being "
                + "terminated", terminating.getMessage());
        assertEquals("namespace leaving is being terminated", terminating.details().causes().get(0).message());
        assertEquals("NamespaceTerminating", terminating.details().causes().get(0).reason());
        // what is in it may still change and go
        registry.resource("", "configmaps").patch("leaving", "kept", c -> { c.putObject("data").put("k", "v"); return c; }, ALICE);
        registry.resource("", "configmaps").delete("leaving", "kept", DeleteOptions.DEFAULT, ALICE);
    }

    /** The registry's lookups, but namespaces read from a cache that holds what {@code cached} holds. */
    private AdmissionLookups cachedNamespaces(java.util.Map<String, ObjectNode> cached) {
        AdmissionLookups store = registry.lookups();
        return new AdmissionLookups() {
            @Override
            public ObjectNode namespace(String name) { return cached.containsKey(name) ? cached.get(name) : store.namespace(name); }

            @Override
            public ObjectNode namespaceAsStored(String name) { return store.namespace(name); }

            @Override
            public ObjectNode serviceAccount(String namespace, String name) { return store.serviceAccount(namespace, name); }

            @Override
            public Clock clock() { return store.clock(); }

            @Override
            public List<ObjectNode> priorityClasses() { return store.priorityClasses(); }

            @Override
            public List<ObjectNode> limitRanges(String namespace) { return store.limitRanges(namespace); }

            @Override
            public List<ObjectNode> resourceQuotas(String namespace) { return store.resourceQuotas(namespace); }

            @Override
            public boolean updateQuotaStatus(ObjectNode quota) { return store.updateQuotaStatus(quota); }
        };
    }

    @Test
    void aNamespaceDeletedHereRefusesCreatesWhileACacheStillShowsItActive() {
        java.util.Map<String, ObjectNode> cache = new java.util.HashMap<>();
        registry.useAdmission(AdmissionChain.standard(cachedNamespaces(cache), Duration.ZERO, new SecureRandom()));
        ResourceStore configMaps = registry.resource("", "configmaps");
        cache.put("leaving", namespaces.create("", object("v1", "Namespace", "leaving"), RequestContext.LOOPBACK).tree());
        configMaps.create("leaving", object("v1", "ConfigMap", "before"), ALICE);
        namespaces.delete("", "leaving", DeleteOptions.DEFAULT, ALICE);
        StatusException e = assertThrows(StatusException.class,
                () -> configMaps.create("leaving", object("v1", "ConfigMap", "after"), ALICE));
        assertEquals(403, e.code());
        assertEquals("NamespaceTerminating", e.details().causes().get(0).reason());
    }

    @Test
    void aNamespaceACacheStillShowsTerminatingIsReadFromTheStore() {
        java.util.Map<String, ObjectNode> cache = new java.util.HashMap<>();
        registry.useAdmission(AdmissionChain.standard(cachedNamespaces(cache), Duration.ZERO, new SecureRandom()));
        ObjectNode old = namespaces.create("", object("v1", "Namespace", "again"), RequestContext.LOOPBACK).tree().deepCopy();
        old.with("metadata").put("deletionTimestamp", "2026-12-06T09:59:00Z");
        old.with("status").put("phase", "Terminating");
        cache.put("again", old); // the cache behind: the namespace of that name that was deleted before this one
        registry.resource("", "configmaps").create("again", object("v1", "ConfigMap", "c"), ALICE);
        assertEquals("c", registry.resource("", "configmaps").find("again", "c").tree().path("metadata").path("name").asText());
    }

    @Test
    void immortalNamespacesAreNeverDeleted() {
        StatusException e = assertThrows(StatusException.class, () -> namespaces.delete("", "default", DeleteOptions.DEFAULT, ALICE));
        assertEquals(403, e.code());
        assertEquals("namespaces \"default\" is forbidden: this namespace may not be deleted", e.getMessage());
        // refused before anything is read: kube-public need not exist
        assertEquals(403, assertThrows(StatusException.class,
                () -> namespaces.delete("", "kube-public", DeleteOptions.DEFAULT, ALICE)).code());
    }

    @Test
    void newPodsRunAsDefaultWithTheProjectedTokenVolumeInEveryContainer() {
        ObjectNode p = pod("web");
        ObjectNode spec = (ObjectNode) p.get("spec");
        spec.putArray("initContainers").addObject().put("name", "init").put("image", "busybox");
        ObjectNode own = spec.withArray("containers").addObject().put("name", "own").put("image", "nginx");
        own.putArray("volumeMounts").addObject().put("name", "mine").put("mountPath", ServiceAccountAdmission.MOUNT_PATH);
        spec.putArray("volumes").addObject().put("name", "mine").putObject("emptyDir");
        JsonNode stored = pods.create("default", p, ALICE).toNode().path("spec");
        assertEquals("default", stored.path("serviceAccountName").asText());
        assertEquals("default", stored.path("serviceAccount").asText());
        JsonNode volume = stored.path("volumes").get(1);
        String name = volume.path("name").asText();
        assertTrue(name.matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
        assertEquals(List.of("token", "ca.crt", "namespace"), List.of(
                volume.at("/projected/sources/0/serviceAccountToken/path").asText(),
                volume.at("/projected/sources/1/configMap/items/0/path").asText(),
                volume.at("/projected/sources/2/downwardAPI/items/0/path").asText()));
        assertEquals(3607, volume.at("/projected/sources/0/serviceAccountToken/expirationSeconds").asInt());
        assertEquals(name, stored.at("/initContainers/0/volumeMounts/0/name").asText());
        assertEquals(name, stored.at("/containers/0/volumeMounts/0/name").asText());
        assertTrue(stored.at("/containers/0/volumeMounts/0/readOnly").asBoolean());
        assertEquals(1, stored.at("/containers/1/volumeMounts").size(), "a container mounting something there keeps it");
        assertEquals("mine", stored.at("/containers/1/volumeMounts/0/name").asText());
    }

    @Test
    void optingOutOfTheTokenLeavesThePodWithoutIt() {
        ObjectNode p = pod("quiet");
        ((ObjectNode) p.get("spec")).put("automountServiceAccountToken", false);
        JsonNode stored = pods.create("default", p, ALICE).toNode().path("spec");
        assertEquals("default", stored.path("serviceAccountName").asText());
        assertFalse(stored.has("volumes"));
        assertFalse(stored.at("/containers/0").has("volumeMounts"));
    }

    @Test
    void withServiceAccountsCheckedAPodNamingAMissingOneIsRefused() {
        registry.useAdmission(AdmissionChain.standard(registry.lookups(), Duration.ZERO, new SecureRandom()));
        ObjectNode p = pod("robotic");
        ((ObjectNode) p.get("spec")).put("serviceAccountName", "robot");
        StatusException e = assertThrows(StatusException.class, () -> pods.create("default", p, ALICE));
        assertEquals(403, e.code());
        assertEquals("Forbidden", e.reason());
        assertEquals("pods \"robotic\" is forbidden: error looking up service account default/robot: serviceaccount "
                + "\"robot\" not found", e.getMessage());
        // the namespace's default one is looked up the same way
        StatusException noDefault = assertThrows(StatusException.class, () -> pods.create("default", pod("plain"), ALICE));
        assertEquals("pods \"plain\" is forbidden: error looking up service account default/default: serviceaccount "
                + "\"default\" not found", noDefault.getMessage());

        ObjectNode robot = object("v1", "ServiceAccount", "robot");
        robot.put("automountServiceAccountToken", false);
        robot.putArray("imagePullSecrets").addObject().put("name", "registry-key");
        registry.resource("", "serviceaccounts").create("default", robot, RequestContext.LOOPBACK);
        JsonNode stored = pods.create("default", p, ALICE).toNode().path("spec");
        assertFalse(stored.has("volumes"), "the service account opts out of the token");
        assertEquals("registry-key", stored.at("/imagePullSecrets/0/name").asText());
    }

    @Test
    void aPodWaitsForItsNamespacesDefaultServiceAccount() throws Exception {
        registry.useAdmission(AdmissionChain.standard(registry.lookups(), Duration.ofSeconds(30), new SecureRandom()));
        // the serviceaccount controller creates it a moment after the pod's create began
        Thread controller = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            registry.resource("", "serviceaccounts").create("default", object("v1", "ServiceAccount", "default"),
                    RequestContext.LOOPBACK);
        });
        controller.start();
        assertEquals("default", pods.create("default", pod("early"), ALICE).toNode().at("/spec/serviceAccountName").asText());
        controller.join();
    }

    @Test
    void mirrorPodsMayNotReferenceServiceAccountsOrSecrets() {
        ObjectNode mirror = pod("etcd-m-k8s");
        ((ObjectNode) mirror.get("metadata")).putObject("annotations").put("kubernetes.io/config.mirror", "hash");
        JsonNode stored = pods.create("default", mirror.deepCopy(), ALICE).toNode().path("spec");
        assertFalse(stored.has("serviceAccountName"));
        assertFalse(stored.has("volumes"));
        ObjectNode named = mirror.deepCopy();
        ((ObjectNode) named.get("metadata")).put("name", "named");
        ((ObjectNode) named.get("spec")).put("serviceAccountName", "default");
        assertEquals("pods \"named\" is forbidden: a mirror pod may not reference service accounts",
                assertThrows(StatusException.class, () -> pods.create("default", named, ALICE)).getMessage());
        ObjectNode secret = mirror.deepCopy();
        ((ObjectNode) secret.get("metadata")).put("name", "secret");
        ((ObjectNode) secret.get("spec")).putArray("volumes").addObject().put("name", "s").putObject("secret").put("secretName", "x");
        assertEquals("pods \"secret\" is forbidden: a mirror pod may not reference secrets",
                assertThrows(StatusException.class, () -> pods.create("default", secret, ALICE)).getMessage());
    }

    @Test
    void newPodsTolerateNotReadyAndUnreachableNodesForFiveMinutes() {
        JsonNode tolerations = pods.create("default", pod("web"), ALICE).toNode().at("/spec/tolerations");
        assertEquals(2, tolerations.size());
        assertEquals("node.kubernetes.io/not-ready", tolerations.get(0).path("key").asText());
        assertEquals("node.kubernetes.io/unreachable", tolerations.get(1).path("key").asText());
        for (JsonNode t : tolerations) {
            assertEquals("NoExecute", t.path("effect").asText());
            assertEquals("Exists", t.path("operator").asText());
            assertEquals(300, t.path("tolerationSeconds").asInt());
        }
        ObjectNode everything = pod("tolerant");
        ((ObjectNode) everything.get("spec")).putArray("tolerations").addObject().put("operator", "Exists");
        assertEquals(1, pods.create("default", everything, ALICE).toNode().at("/spec/tolerations").size());
    }

    @Test
    void everyWriteReachesThePluginsWithItsContext() {
        List<String> seen = new ArrayList<>();
        MutatingPlugin recorder = new MutatingPlugin() {
            @Override
            public String name() {
                return "Recorder";
            }

            @Override
            public void admit(AdmissionAttributes a) {
                RequestContext c = a.context();
                seen.add(a.type().resource() + "/" + a.subresource() + " " + a.name() + " " + c.operation() + " by "
                        + c.user().name() + " as " + c.fieldManager() + (c.dryRun() ? " (dry run)" : ""));
            }
        };
        registry.useAdmission(new AdmissionChain(List.of(recorder), List.of()));
        ResourceStore endpoints = registry.resource("", "endpoints");
        endpoints.update("default", "made", object("v1", "Endpoints", "made"), ALICE);
        endpoints.update("default", "made", object("v1", "Endpoints", "made"), ALICE.withDryRun(true));
        pods.create("default", pod("p"), ALICE);
        pods.patch("default", "p", o -> o, ALICE.withSubresource("status"));
        ObjectNode binding = object("v1", "Binding", "p");
        binding.putObject("target").put("kind", "Node").put("name", "w1-k8s");
        pods.createSubresource("binding", "default", "p", binding, ALICE);
        pods.connect("exec", "default", "p", object("v1", "PodExecOptions", ""), ALICE);
        pods.delete("default", "p", new DeleteOptions(0L, null, null, null, true), ALICE);
        assertEquals(List.of(
                "endpoints/ made CREATE by alice as kubectl-create",
                "endpoints/ made UPDATE by alice as kubectl-create (dry run)",
                "pods/ p CREATE by alice as kubectl-create",
                "pods/status p UPDATE by alice as kubectl-create",
                "pods/binding p CREATE by alice as kubectl-create",
                "pods/exec p CONNECT by alice as kubectl-create",
                "pods/ p DELETE by alice as kubectl-create (dry run)"), seen);
        assertEquals(404, assertThrows(StatusException.class,
                () -> pods.connect("exec", "default", "nope", object("v1", "PodExecOptions", ""), ALICE)).code());
    }

    @Test
    void aRefusalStoresNothing() {
        ValidatingPlugin refuse = new ValidatingPlugin() {
            @Override
            public String name() {
                return "Refuse";
            }

            @Override
            public void validate(AdmissionAttributes a) {
                if (a.operation() == Operation.CREATE) throw a.forbidden("not today");
            }
        };
        registry.useAdmission(new AdmissionChain(List.of(), List.of(refuse)));
        assertEquals("configmaps \"c\" is forbidden: not today", assertThrows(StatusException.class,
                () -> registry.resource("", "configmaps").create("default", object("v1", "ConfigMap", "c"), ALICE)).getMessage());
        assertTrue(registry.resource("", "configmaps").find("default", "c") == null);
    }
}
