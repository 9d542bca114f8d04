package kubefake.store.registry;

import kubefake.store.registry.request.RequestContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic machinery of the registry over a real MVCC store: what a client of the API observes. */
class ResourceStoreTest {
    private Registry registry;
    private MemoryKeyValueStore kv;
    private ResourceStore configmaps;
    private ResourceStore pods;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        kv = new MemoryKeyValueStore();
        registry = new Registry(kv, clock, ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", obj("v1", "Namespace", "default"), RequestContext.LOOPBACK);
        configmaps = registry.resource("", "configmaps");
        pods = registry.resource("", "pods");
    }

    static ObjectNode obj(String apiVersion, String kind, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        o.putObject("metadata").put("name", name);
        return o;
    }

    static ObjectNode pod(String name, String node) {
        ObjectNode p = obj("v1", "Pod", name);
        ObjectNode spec = p.putObject("spec");
        spec.putArray("containers").addObject().put("name", "c").put("image", "nginx");
        if (node != null) spec.put("nodeName", node);
        return p;
    }

    @Test
    void createSetsServerFieldsAndGetReturnsKindFirst() {
        StoredObject o = configmaps.create("default", obj("v1", "ConfigMap", "cfg"), RequestContext.LOOPBACK);
        ObjectNode n = o.toNode();
        assertEquals("default", n.path("metadata").path("namespace").asText());
        assertEquals(36, n.path("metadata").path("uid").asText().length());
        assertEquals("2026-11-22T10:00:00Z", n.path("metadata").path("creationTimestamp").asText());
        assertEquals(Long.toString(o.resourceVersion()), n.path("metadata").path("resourceVersion").asText());
        String json = new String(configmaps.get("default", "cfg").withTypeMeta());
        assertTrue(json.startsWith("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cfg\""), json);
    }

    @Test
    void aListAtAnExactOldResourceVersionAnswersTheSameOnceTheStorePackedItsHistory() {
        List<Long> revisions = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        pods.create("default", pod("web", "w1-k8s"), RequestContext.LOOPBACK);
        for (int i = 0; i < 12; i++) {
            int n = i;
            pods.patch("default", "web", p -> {
                ((ObjectNode) p.get("metadata")).putObject("labels").put("step", "s" + n);
                return p;
            }, RequestContext.LOOPBACK);
            long revision = kv.currentRevision();
            revisions.add(revision);
            answers.add(listAt(revision));
        }
        kv.packHistory(); // remembers the revision
        assertTrue(kv.packHistory() >= 11, "the superseded revisions were packed");

        for (int i = 0; i < revisions.size(); i++) {
            assertEquals(answers.get(i), listAt(revisions.get(i)), "at resourceVersion " + revisions.get(i));
        }
        assertTrue(answers.get(0).contains("\"step\":\"s0\""), answers.get(0));
    }

    @Test
    void aRevisionHeldByAReaderAnswersTheSameOnceTheStorePackedItsUnreadValue() {
        StoredObject created = pods.create("default", pod("web", "w1-k8s"), RequestContext.LOOPBACK);
        StoredObject held = pods.get("default", "web"); // as an informer keeps it
        String json = new String(held.withTypeMeta());
        String tree = held.tree().toString();
        String listed = listAt(held.resourceVersion());

        assertEquals(0, kv.packUnreadValuesUnder("/registry/pods/"), "its bytes were read just now");
        assertEquals(1, kv.packUnreadValuesUnder("/registry/pods/"), "not read since the previous look");
        System.gc(); // the shared tree is weakly kept: the next reader parses the packed bytes

        assertEquals(json, new String(held.withTypeMeta()));
        assertEquals(json, new String(pods.get("default", "web").withTypeMeta()));
        assertEquals(tree, held.tree().toString());
        assertEquals(listed, listAt(held.resourceVersion()));
        assertEquals(held, pods.get("default", "web"), "the same revision");
        assertEquals(created, held);
        assertEquals(held.hashCode(), pods.get("default", "web").hashCode());
        // an update reads it (inflated) and supersedes it
        StoredObject updated = pods.patch("default", "web", p -> {
            ((ObjectNode) p.get("metadata")).putObject("labels").put("app", "web");
            return p;
        }, RequestContext.LOOPBACK);
        assertNotEquals(held, updated);
        assertEquals(json, listAt(held.resourceVersion()), "the old revision still reads the same");
    }

    private String listAt(long revision) {
        ListResult list = pods.list("default", new ListOptions("", "", Long.toString(revision), "Exact", 0, null, 0, false, null));
        assertEquals(revision, list.resourceVersion());
        return list.items().stream().map(o -> new String(o.withTypeMeta())).reduce("", String::concat);
    }

    @Test
    void generateNameAddsFiveCharacters() {
        ObjectNode cm = obj("v1", "ConfigMap", "");
        ((ObjectNode) cm.get("metadata")).remove("name");
        ((ObjectNode) cm.get("metadata")).put("generateName", "web-");
        String name = configmaps.create("default", cm, RequestContext.LOOPBACK).toNode().path("metadata").path("name").asText();
        assertTrue(name.matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    }

    private ObjectNode generated(String prefix) {
        ObjectNode cm = obj("v1", "ConfigMap", "");
        ((ObjectNode) cm.get("metadata")).remove("name");
        ((ObjectNode) cm.get("metadata")).put("generateName", prefix);
        return cm;
    }

    /** A Random whose draws come from {@code draws} in turn, then the last one for ever. */
    private static java.util.Random drawing(int... draws) {
        return new java.util.Random() {
            private int i;

            @Override
            public int nextInt(int bound) {
                return draws[Math.min(i++, draws.length - 1)] % bound;
            }
        };
    }

    @Test
    void aGeneratedNameThatIsTakenIsGeneratedAgainAsTheRealStoreRetries() {
        registry.useNameRandom(drawing(0)); // every name web-bbbbb
        assertEquals("web-bbbbb", configmaps.create("default", generated("web-"), RequestContext.LOOPBACK)
                .toNode().path("metadata").path("name").asText());
        // the first name collides, the second try draws c (index 1) for its last character
        registry.useNameRandom(drawing(0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        assertEquals("web-bbbbc", configmaps.create("default", generated("web-"), RequestContext.LOOPBACK)
                .toNode().path("metadata").path("name").asText());
        // eight taken names in a row: the answer a real 1.33 server gives after its eight attempts
        registry.useNameRandom(drawing(0));
        StatusException e = assertThrows(StatusException.class,
                () -> configmaps.create("default", generated("web-"), RequestContext.LOOPBACK));
        assertEquals(409, e.code());
        assertEquals("AlreadyExists", e.reason());
        assertEquals("configmaps \"web-bbbbb\" already exists, the server was not able to generate a unique name for the object",
                e.getMessage());
        assertEquals(2, configmaps.list("default", ListOptions.ALL).items().size());
    }

    @Test
    void createErrorsAreTheRealOnes() {
        configmaps.create("default", obj("v1", "ConfigMap", "cfg"), RequestContext.LOOPBACK);
        StatusException exists = assertThrows(StatusException.class,
                () -> configmaps.create("default", obj("v1", "ConfigMap", "cfg"), RequestContext.LOOPBACK));
        assertEquals(409, exists.code());
        assertEquals("configmaps \"cfg\" already exists", exists.getMessage());
        StatusException noNs = assertThrows(StatusException.class,
                () -> configmaps.create("nons", obj("v1", "ConfigMap", "x"), RequestContext.LOOPBACK));
        assertEquals("namespaces \"nons\" not found", noNs.getMessage());
        StatusException wrongVersion = assertThrows(StatusException.class,
                () -> configmaps.create("default", obj("apps/v1", "ConfigMap", "y"), RequestContext.LOOPBACK));
        assertEquals(400, wrongVersion.code());
    }

    @Test
    void staleUpdateConflictsAndNoOpUpdateKeepsTheResourceVersion() {
        StoredObject first = configmaps.create("default", obj("v1", "ConfigMap", "cfg"), RequestContext.LOOPBACK);
        ObjectNode changed = first.toNode();
        changed.putObject("data").put("a", "b");
        StoredObject second = configmaps.update("default", "cfg", changed, RequestContext.LOOPBACK);
        assertTrue(second.resourceVersion() > first.resourceVersion());
        ObjectNode stale = first.toNode();
        stale.putObject("data").put("a", "c");
        StatusException conflict = assertThrows(StatusException.class,
                () -> configmaps.update("default", "cfg", stale, RequestContext.LOOPBACK));
        assertEquals(409, conflict.code());
        assertEquals("Operation cannot be fulfilled on configmaps \"cfg\": the object has been modified; "
                + "please apply your changes to the latest version and try again", conflict.getMessage());
        StoredObject same = configmaps.patch("default", "cfg", o -> o, RequestContext.LOOPBACK);
        assertEquals(second.resourceVersion(), same.resourceVersion());
    }

    @Test
    void statusIsWrittenOnlyThroughTheStatusSubresourceAndSpecChangesBumpGeneration() {
        StoredObject created = pods.create("default", pod("p", null), RequestContext.LOOPBACK);
        assertEquals("Pending", created.toNode().path("status").path("phase").asText());
        assertEquals(1, created.toNode().path("metadata").path("generation").asInt());
        StoredObject ignored = pods.patch("default", "p", o -> {
            ((ObjectNode) o.get("status")).put("phase", "Running");
            return o;
        }, RequestContext.LOOPBACK);
        assertEquals("Pending", ignored.toNode().path("status").path("phase").asText());
        StoredObject running = pods.patch("default", "p", o -> {
            ((ObjectNode) o.get("status")).put("phase", "Running");
            return o;
        }, RequestContext.LOOPBACK.withSubresource("status"));
        assertEquals("Running", running.toNode().path("status").path("phase").asText());
        StoredObject relabeled = pods.patch("default", "p", o -> {
            ((ObjectNode) o.get("spec")).put("activeDeadlineSeconds", 30);
            return o;
        }, RequestContext.LOOPBACK);
        assertEquals(2, relabeled.toNode().path("metadata").path("generation").asInt());
    }

    @Test
    void aPodUpdateValidatesTheNewSpecBeforeWhatChanged() {
        pods.create("default", pod("upd", null), RequestContext.LOOPBACK);
        StatusException e = assertThrows(StatusException.class, () -> pods.patch("default", "upd", o -> {
            ((ObjectNode) o.path("spec").path("containers").get(0)).put("imagePullPolicy", "Bad");
            return o;
        }, RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        assertTrue(e.getMessage().startsWith("Pod \"upd\" is invalid: [spec.containers[0].imagePullPolicy: Unsupported value: "
                + "\"Bad\": supported values: \"Always\", \"IfNotPresent\", \"Never\", spec: Forbidden: pod updates may not "
                + "change fields other than"), e.getMessage());
        StatusException empty = assertThrows(StatusException.class, () -> pods.patch("default", "upd", o -> {
            ((ObjectNode) o.path("spec").path("containers").get(0)).put("image", "");
            return o;
        }, RequestContext.LOOPBACK));
        assertEquals("Pod \"upd\" is invalid: spec.containers[0].image: Required value", empty.getMessage(),
                "found by both checks, named once in the message");
    }

    @Test
    void podsBoundToANodeAreDeletedGracefullyOthersAtOnce() {
        pods.create("default", pod("unbound", null), RequestContext.LOOPBACK);
        assertTrue(pods.delete("default", "unbound", DeleteOptions.DEFAULT, RequestContext.LOOPBACK).deleted());
        assertNull(pods.find("default", "unbound"));
        pods.create("default", pod("bound", "w1-k8s"), RequestContext.LOOPBACK);
        DeleteResult graceful = pods.delete("default", "bound", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        assertFalse(graceful.deleted());
        ObjectNode meta = (ObjectNode) graceful.object().toNode().get("metadata");
        assertEquals(30, meta.path("deletionGracePeriodSeconds").asInt());
        assertEquals("2026-11-22T10:00:30Z", meta.path("deletionTimestamp").asText());
        assertTrue(pods.delete("default", "bound", new DeleteOptions(0L, null, null, null, false), RequestContext.LOOPBACK).deleted());
        // finalizers hold a graceful deletion without shortening its grace period
        ObjectNode held = pod("held", "w1-k8s");
        ((ObjectNode) held.get("metadata")).putArray("finalizers").add("example.com/hold");
        pods.create("default", held, RequestContext.LOOPBACK);
        DeleteResult marked = pods.delete("default", "held", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        assertFalse(marked.deleted());
        assertEquals(30, marked.object().toNode().path("metadata").path("deletionGracePeriodSeconds").asInt());
    }

    @Test
    void namespaceDeletionTerminatesUntilFinalizedAndRefusesNewContent() {
        ResourceStore namespaces = registry.resource("", "namespaces");
        namespaces.create("", obj("v1", "Namespace", "doomed"), RequestContext.LOOPBACK);
        DeleteResult r = namespaces.delete("", "doomed", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        assertFalse(r.deleted());
        assertEquals("Terminating", r.object().toNode().path("status").path("phase").asText());
        StatusException refused = assertThrows(StatusException.class,
                () -> configmaps.create("doomed", obj("v1", "ConfigMap", "late"), RequestContext.LOOPBACK));
        assertEquals(403, refused.code());
        assertEquals("configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated",
                refused.getMessage());
        namespaces.patch("", "doomed", ns -> {
            ((ObjectNode) ns.get("spec")).putArray("finalizers");
            return ns;
        }, RequestContext.LOOPBACK.withSubresource("finalize"));
        assertNull(namespaces.find("", "doomed"));
    }

    @Test
    void inconsistentListOptionsAreInvalid() {
        StatusException noRv = assertThrows(StatusException.class,
                () -> configmaps.list("default", new ListOptions("", "", "", "Exact", 0, null, 0, false, null)));
        assertEquals(422, noRv.code());
        assertEquals("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
                + "resourceVersionMatch is forbidden unless resourceVersion is provided", noRv.getMessage());
        StatusException exactZero = assertThrows(StatusException.class,
                () -> configmaps.list("default", new ListOptions("", "", "0", "Exact", 0, null, 0, false, null)));
        assertEquals("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
                + "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"", exactZero.getMessage());
    }

    @Test
    void concurrentPatchesAllApplyWithoutConflicts() throws Exception {
        configmaps.create("default", obj("v1", "ConfigMap", "shared"), RequestContext.LOOPBACK);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = "k" + i;
            futures.add(pool.submit(() -> configmaps.patch("default", "shared", o -> {
                ObjectNode data = o.has("data") ? (ObjectNode) o.get("data") : o.putObject("data");
                data.put(key, "v");
                return o;
            }, RequestContext.LOOPBACK)));
        }
        for (var f : futures) f.get();
        pool.shutdown();
        assertEquals(200, configmaps.get("default", "shared").toNode().path("data").size());
    }

    @Test
    void aServerDryRunCreateOfAnExistingObjectIsAlreadyExists() {
        configmaps.create("default", obj("v1", "ConfigMap", "here"), RequestContext.LOOPBACK);
        StatusException e = assertThrows(StatusException.class,
                () -> configmaps.create("default", obj("v1", "ConfigMap", "here"), RequestContext.LOOPBACK.withDryRun(true)));
        assertEquals(409, e.code());
        assertEquals("configmaps \"here\" already exists", e.getMessage());
        StoredObject dry = configmaps.create("default", obj("v1", "ConfigMap", "new"), RequestContext.LOOPBACK.withDryRun(true));
        assertEquals("new", dry.toNode().path("metadata").path("name").asText());
        assertNull(configmaps.find("default", "new"));
    }

    @Test
    void aDifferentUidIsAPreconditionOnPutAndImmutableOtherwise() {
        StoredObject cm = configmaps.create("default", obj("v1", "ConfigMap", "u"), RequestContext.LOOPBACK);
        String uid = cm.toNode().path("metadata").path("uid").asText();
        ObjectNode stale = obj("v1", "ConfigMap", "u");
        ((ObjectNode) stale.get("metadata")).put("uid", "00000000-0000-0000-0000-000000000000");
        StatusException put = assertThrows(StatusException.class, () -> configmaps.update("default", "u", stale, RequestContext.LOOPBACK));
        assertEquals(409, put.code());
        assertEquals("Operation cannot be fulfilled on configmaps \"u\": Precondition failed: UID in precondition: "
                + "00000000-0000-0000-0000-000000000000, UID in object meta: " + uid, put.getMessage());
        StatusException patch = assertThrows(StatusException.class, () -> configmaps.patch("default", "u", o -> {
            ((ObjectNode) o.get("metadata")).put("uid", "x");
            return o;
        }, RequestContext.LOOPBACK));
        assertEquals(422, patch.code());
        assertEquals("ConfigMap \"u\" is invalid: metadata.uid: Invalid value: \"x\": field is immutable", patch.getMessage());
    }

    @Test
    void aWatchListSendsTheCurrentObjectsThenAnEndBookmark() {
        configmaps.create("default", obj("v1", "ConfigMap", "existing"), RequestContext.LOOPBACK);
        ResourceWatch w = configmaps.watch("default",
                new ListOptions("", "", "", "NotOlderThan", 0, null, 0, true, true), () -> { }, 100);
        List<WatchEvent> events = w.poll(10);
        assertEquals(List.of(WatchEvent.Type.ADDED, WatchEvent.Type.BOOKMARK), events.stream().map(WatchEvent::type).toList());
        var annotations = events.get(1).object().toNode().path("metadata").path("annotations");
        assertEquals("true", annotations.path("k8s.io/initial-events-end").asText());
        assertEquals("{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}", new String(
                java.util.Base64.getDecoder().decode(annotations.path("kubernetes.io/initial-events-list-blueprint").asText())));
        w.close();
    }

    @Test
    void theSystemNamespacesMayNotBeDeleted() {
        StatusException e = assertThrows(StatusException.class,
                () -> registry.resource("", "namespaces").delete("", "default", DeleteOptions.DEFAULT, RequestContext.LOOPBACK));
        assertEquals(403, e.code());
        assertEquals("namespaces \"default\" is forbidden: this namespace may not be deleted", e.getMessage());
    }

    @Test
    void paginationWithContinueTokensAndSelectors() {
        for (int i = 0; i < 5; i++) {
            ObjectNode cm = obj("v1", "ConfigMap", "cm-" + i);
            ((ObjectNode) cm.get("metadata")).putObject("labels").put("parity", i % 2 == 0 ? "even" : "odd");
            configmaps.create("default", cm, RequestContext.LOOPBACK);
        }
        ListResult page = configmaps.list("default", new ListOptions("", "", "", "", 2, null, 0, false, null));
        assertEquals(2, page.items().size());
        assertEquals(3L, page.remainingItemCount());
        List<String> names = new ArrayList<>();
        page.items().forEach(o -> names.add(o.toNode().path("metadata").path("name").asText()));
        configmaps.create("default", obj("v1", "ConfigMap", "cm-9"), RequestContext.LOOPBACK);
        while (page.continueToken() != null) {
            page = configmaps.list("default", new ListOptions("", "", "", "", 2, page.continueToken(), 0, false, null));
            page.items().forEach(o -> names.add(o.toNode().path("metadata").path("name").asText()));
        }
        // the pages are read at the first page's revision: cm-9 came later
        assertEquals(List.of("cm-0", "cm-1", "cm-2", "cm-3", "cm-4"), names);
        assertEquals(3, configmaps.list("default", ListOptions.labelSelector("parity=even")).items().size());
        assertEquals(1, configmaps.list("default", ListOptions.fieldSelector("metadata.name=cm-1")).items().size());
        StatusException bad = assertThrows(StatusException.class,
                () -> configmaps.list("default", ListOptions.fieldSelector("spec.foo=bar")));
        assertEquals(400, bad.code());
    }

    @Test
    void everyPageCountsWhatRemainsAtTheFirstPagesRevision() {
        for (int i = 0; i < 12; i++) {
            configmaps.create("default", obj("v1", "ConfigMap", String.format("cm-%02d", i)), RequestContext.LOOPBACK);
        }
        ListResult page = configmaps.list("default", new ListOptions("", "", "", "", 5, null, 0, false, null));
        assertEquals(7L, page.remainingItemCount());
        // creates and deletes between the pages, before and after the cursor: the list stays at its revision
        configmaps.create("default", obj("v1", "ConfigMap", "cm-99"), RequestContext.LOOPBACK);
        configmaps.delete("default", "cm-07", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        configmaps.delete("default", "cm-01", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        List<Long> remaining = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (page.continueToken() != null) {
            page = configmaps.list("default", new ListOptions("", "", "", "", 5, page.continueToken(), 0, false, null));
            remaining.add(page.remainingItemCount());
            page.items().forEach(o -> names.add(o.tree().path("metadata").path("name").asText()));
        }
        assertEquals(Arrays.asList(2L, null), remaining);
        assertEquals(List.of("cm-05", "cm-06", "cm-07", "cm-08", "cm-09", "cm-10", "cm-11"), names);
        ListResult now = configmaps.list("default", new ListOptions("", "", "", "", 5, null, 0, false, null));
        assertEquals(6L, now.remainingItemCount());
    }

    @Test
    void selectedPagesReadOnToFillThePageAndGiveNoCount() {
        for (int i = 0; i < 40; i++) {
            ObjectNode cm = obj("v1", "ConfigMap", String.format("cm-%02d", i));
            ((ObjectNode) cm.get("metadata")).putObject("labels").put("every7", i % 7 == 0 ? "yes" : "no");
            configmaps.create("default", cm, RequestContext.LOOPBACK);
        }
        List<String> names = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            ListResult page = configmaps.list("default", new ListOptions("every7=yes", "", "", "", 2, token, 0, false, null));
            assertNull(page.remainingItemCount());
            sizes.add(page.items().size());
            page.items().forEach(o -> names.add(o.tree().path("metadata").path("name").asText()));
            token = page.continueToken();
        } while (token != null);
        assertEquals(List.of("cm-00", "cm-07", "cm-14", "cm-21", "cm-28", "cm-35"), names);
        // the last full page has a token: more keys follow it, none of them matching
        assertEquals(List.of(2, 2, 2, 0), sizes);
    }

    @Test
    void watchesTurnSelectorTransitionsIntoAddedAndDeleted() {
        ResourceWatch w = configmaps.watch("default", new ListOptions("app=web", "", Long.toString(registry.store().currentRevision()),
                "", 0, null, 0, false, null), () -> { }, 100);
        ObjectNode cm = obj("v1", "ConfigMap", "w");
        configmaps.create("default", cm, RequestContext.LOOPBACK);
        configmaps.patch("default", "w", o -> {
            ((ObjectNode) o.get("metadata")).putObject("labels").put("app", "web");
            return o;
        }, RequestContext.LOOPBACK);
        configmaps.patch("default", "w", o -> {
            ((ObjectNode) o.get("metadata")).putObject("labels").put("app", "db");
            return o;
        }, RequestContext.LOOPBACK);
        List<WatchEvent> events = w.poll(10);
        assertEquals(List.of(WatchEvent.Type.ADDED, WatchEvent.Type.DELETED), events.stream().map(WatchEvent::type).toList());
        // the DELETED event carries the object as it last matched, at the event's resourceVersion
        ObjectNode gone = events.get(1).object().toNode();
        assertEquals("web", gone.path("metadata").path("labels").path("app").asText());
        assertEquals(Long.toString(registry.store().currentRevision()), gone.path("metadata").path("resourceVersion").asText());
        w.close();
    }

    @Test
    void nodeWatchesSeeTheirNodesPodsFromBindingToDeletion() {
        String now = Long.toString(registry.store().currentRevision());
        ResourceWatch n1 = pods.watch(null, new ListOptions("", "spec.nodeName=n1", now, "", 0, null, 0, false, null), () -> { }, 100);
        ResourceWatch n2 = pods.watch(null, new ListOptions("", "spec.nodeName=n2", now, "", 0, null, 0, false, null), () -> { }, 100);
        ResourceWatch unbound = pods.watch(null, new ListOptions("", "spec.nodeName=", now, "", 0, null, 0, false, null), () -> { }, 100);
        pods.create("default", pod("on-n2", "n2"), RequestContext.LOOPBACK);
        pods.create("default", pod("waiting", null), RequestContext.LOOPBACK);
        ObjectNode binding = obj("v1", "Binding", "waiting");
        binding.putObject("target").put("kind", "Node").put("name", "n1");
        pods.createSubresource("binding", "default", "waiting", binding, RequestContext.LOOPBACK);
        pods.delete("default", "waiting", DeleteOptions.DEFAULT, RequestContext.LOOPBACK); // graceful: marked
        pods.delete("default", "waiting", new DeleteOptions(0L, null, null, null, false), RequestContext.LOOPBACK);

        assertEquals(List.of("ADDED waiting", "MODIFIED waiting", "DELETED waiting"), described(n1.poll(10)));
        assertEquals(List.of("ADDED on-n2"), described(n2.poll(10)));
        // the scheduler's view: the pod leaves it when it is bound
        assertEquals(List.of("ADDED waiting", "DELETED waiting"), described(unbound.poll(10)));
        n1.close();
        n2.close();
        unbound.close();
    }

    private static List<String> described(List<WatchEvent> events) {
        return events.stream().map(e -> e.type() + " " + e.object().toNode().path("metadata").path("name").asText()).toList();
    }

    @Test
    void watchFromZeroStartsWithSyntheticAddedEvents() {
        configmaps.create("default", obj("v1", "ConfigMap", "a"), RequestContext.LOOPBACK);
        ResourceWatch w = configmaps.watch("default", new ListOptions("", "", "0", "", 0, null, 0, false, null), () -> { }, 100);
        List<WatchEvent> events = w.poll(10);
        assertEquals(1, events.size());
        assertEquals(WatchEvent.Type.ADDED, events.get(0).type());
        configmaps.delete("default", "a", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        WatchEvent deleted = w.poll(10).get(0);
        assertEquals(WatchEvent.Type.DELETED, deleted.type());
        assertEquals(registry.store().currentRevision(), deleted.object().resourceVersion());
        assertEquals(Long.toString(registry.store().currentRevision()),
                deleted.object().toNode().path("metadata").path("resourceVersion").asText());
        w.close();
    }

    @Test
    void eventsOfBothApisAreTheSameObjects() {
        ResourceStore core = registry.resource("", "events");
        ResourceStore v1 = registry.resource("events.k8s.io", "events");
        ObjectNode e = obj("v1", "Event", "e1");
        e.putObject("involvedObject").put("kind", "Pod").put("name", "web");
        e.put("message", "Started container");
        e.put("reason", "Started");
        core.create("default", e, RequestContext.LOOPBACK);
        ObjectNode seen = v1.get("default", "e1").toNode();
        assertEquals("events.k8s.io/v1", seen.path("apiVersion").asText());
        assertEquals("web", seen.path("regarding").path("name").asText());
        assertEquals("Started container", seen.path("note").asText());
        assertFalse(seen.has("message"));
        ObjectNode created = obj("events.k8s.io/v1", "Event", "e2");
        created.putObject("regarding").put("kind", "Node").put("name", "m-k8s");
        created.put("note", "hello").put("reason", "Test").put("eventTime", "2026-11-22T10:00:00.000000Z");
        v1.create("default", created, RequestContext.LOOPBACK);
        ObjectNode asCore = core.get("default", "e2").toNode();
        assertEquals("hello", asCore.path("message").asText());
        assertEquals("m-k8s", asCore.path("involvedObject").path("name").asText());
        assertNotEquals(0, core.list("default", ListOptions.ALL).items().size());
        assertEquals(2, v1.list("default", ListOptions.ALL).items().size());
    }
}
