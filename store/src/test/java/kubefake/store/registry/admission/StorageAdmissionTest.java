package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * StorageClasses as the registry stores them (defaults, validation, immutability) and the admission plugins that
 * read them (DefaultStorageClass) and RuntimeClasses (RuntimeClass).
 */
class StorageAdmissionTest {
    private static final RequestContext ALICE = RequestContext.of(new UserInfo("alice", "", List.of("system:authenticated")))
            .withFieldManager("kubectl-create");

    private Registry registry;

    @BeforeEach
    void setUp() {
        registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC),
                ResourceCatalogue.builtIn());
        registry.useAdmission(AdmissionChain.standard(registry.lookups(), false, new SecureRandom()));
        ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        ns.putObject("metadata").put("name", "default");
        registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
    }

    private static ObjectNode storageClass(String name, String provisioner, boolean isDefault) {
        ObjectNode sc = Json.MAPPER.createObjectNode().put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
        ObjectNode meta = sc.putObject("metadata").put("name", name);
        if (isDefault) meta.putObject("annotations").put(DefaultStorageClass.IS_DEFAULT, "true");
        sc.put("provisioner", provisioner);
        return sc;
    }

    private static ObjectNode claim(String name) {
        ObjectNode pvc = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
        pvc.putObject("metadata").put("name", name);
        ObjectNode spec = pvc.putObject("spec");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("resources").putObject("requests").put("storage", "1Gi");
        return pvc;
    }

    private ObjectNode createClass(ObjectNode sc) {
        return registry.resource("storage.k8s.io", "storageclasses").create("", sc, ALICE).toNode();
    }

    private ObjectNode createClaim(ObjectNode pvc) {
        return registry.resource("", "persistentvolumeclaims").create("default", pvc, ALICE).toNode();
    }

    @Test
    void aStorageClassGetsTheSchemeDefaults() {
        ObjectNode sc = createClass(storageClass("slow", "example.com/slow", false));
        assertEquals("Delete", sc.path("reclaimPolicy").asText());
        assertEquals("Immediate", sc.path("volumeBindingMode").asText());
    }

    @Test
    void aClaimWithoutClassGetsTheDefaultOneAndAnExplicitEmptyClassStaysEmpty() {
        ObjectNode none = createClaim(claim("before"));
        assertFalse(none.path("spec").has("storageClassName"), "no default class yet: nothing to fill in");
        createClass(storageClass("slow", "example.com/slow", false));
        createClass(storageClass("managed-nfs-storage", "k8s-sigs.io/nfs-subdir-external-provisioner", true));
        assertEquals("managed-nfs-storage", createClaim(claim("data")).path("spec").path("storageClassName").asText());
        ObjectNode empty = claim("static");
        ((ObjectNode) empty.get("spec")).put("storageClassName", "");
        assertEquals("", createClaim(empty).path("spec").path("storageClassName").asText());
    }

    @Test
    void ofSeveralDefaultClassesTheNewestWinsThenTheFirstByName() {
        ObjectNode older = storageClass("b", "x.io/p", true);
        ((ObjectNode) older.get("metadata")).put("creationTimestamp", "2026-12-01T00:00:00Z");
        ObjectNode newer = storageClass("c", "x.io/p", true);
        ((ObjectNode) newer.get("metadata")).put("creationTimestamp", "2026-12-02T00:00:00Z");
        ObjectNode tie = storageClass("a", "x.io/p", true);
        ((ObjectNode) tie.get("metadata")).put("creationTimestamp", "2026-12-02T00:00:00Z");
        assertEquals("a", DefaultStorageClass.choose(List.of(older, newer, tie)).path("metadata").path("name").asText());
    }

    @Test
    void aStorageClassRefusesBadFieldsAndChangesOfItsFixedOnes() {
        ObjectNode bad = storageClass("bad", "", false);
        bad.put("reclaimPolicy", "Recycle").put("volumeBindingMode", "Later");
        StatusException e = assertThrows(StatusException.class, () -> createClass(bad));
        assertEquals(422, e.code());
        assertEquals("StorageClass.storage.k8s.io \"bad\" is invalid: [provisioner: Required value, reclaimPolicy: "
                + "Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\", volumeBindingMode: "
                + "Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"]", e.getMessage());

        createClass(storageClass("fast", "example.com/fast", false));
        StatusException changed = assertThrows(StatusException.class, () -> registry.resource("storage.k8s.io", "storageclasses")
                .patch("", "fast", sc -> {
                    sc.put("provisioner", "example.com/other").put("volumeBindingMode", "WaitForFirstConsumer");
                    return sc;
                }, ALICE));
        assertEquals("StorageClass.storage.k8s.io \"fast\" is invalid: [provisioner: Forbidden: updates to provisioner are "
                + "forbidden., volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable]", changed.getMessage());
    }

    @Test
    void aPodOfARuntimeClassGetsItsOverheadAndScheduling() {
        ObjectNode rc = Json.MAPPER.createObjectNode().put("apiVersion", "node.k8s.io/v1").put("kind", "RuntimeClass");
        rc.putObject("metadata").put("name", "kata");
        rc.put("handler", "kata");
        rc.putObject("overhead").putObject("podFixed").put("cpu", "250m").put("memory", "120Mi");
        rc.putObject("scheduling").putObject("nodeSelector").put("runtime", "kata");
        registry.resource("node.k8s.io", "runtimeclasses").create("", rc, ALICE);

        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "p");
        ObjectNode spec = pod.putObject("spec").put("runtimeClassName", "kata");
        spec.putArray("containers").addObject().put("name", "c").put("image", "nginx");
        ObjectNode created = registry.resource("", "pods").create("default", pod, ALICE).toNode();
        assertEquals("250m", created.path("spec").path("overhead").path("cpu").asText());
        assertEquals("kata", created.path("spec").path("nodeSelector").path("runtime").asText());

        ObjectNode withOverhead = pod.deepCopy();
        ((ObjectNode) withOverhead.get("metadata")).put("name", "q");
        ObjectNode qs = (ObjectNode) withOverhead.get("spec");
        qs.remove("runtimeClassName");
        qs.putObject("overhead").put("cpu", "1");
        StatusException e = assertThrows(StatusException.class,
                () -> registry.resource("", "pods").create("default", withOverhead, ALICE));
        assertEquals(403, e.code());
        assertEquals("pods \"q\" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead",
                e.getMessage());
    }

    @Test
    void aRuntimeClassNeedsALabelAsHandler() {
        ObjectNode rc = Json.MAPPER.createObjectNode().put("apiVersion", "node.k8s.io/v1").put("kind", "RuntimeClass");
        rc.putObject("metadata").put("name", "bad");
        rc.put("handler", "Not_A_Label");
        StatusException e = assertThrows(StatusException.class,
                () -> registry.resource("node.k8s.io", "runtimeclasses").create("", rc, ALICE));
        assertEquals("RuntimeClass.node.k8s.io \"bad\" is invalid: handler: Invalid value: \"Not_A_Label\": a lowercase RFC 1123 "
                + "label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
                + "character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                e.getMessage());
    }
}
