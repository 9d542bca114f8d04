package kubefake.store.registry;

import kubefake.store.registry.request.RequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.patch.PatchException;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.patch.Patches;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Objects of every built-in kind with values of the wrong shape anywhere (a string where an object is expected,
 * an array where a map is, null, numbers out of range) go through create, update and the three patch engines:
 * the registry answers with a Status error or accepts them, and never fails with anything else (a
 * ClassCastException or NullPointerException in a strategy, defaulter or validator). Objects also reach the
 * registry from patches and in-process callers, so the readers must take any tree even once bodies are typed.
 * Fixed seeds and a bounded number of tries keep the run short and repeatable.
 */
class WrongShapesPropertyTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<ObjectNode> TEMPLATES = templates();
    private static final List<String> FIELD_NAMES = List.of("name", "port", "nodePort", "key", "operator", "values",
            "type", "ip", "image", "containers", "spec", "metadata", "labels", "selector", "matchLabels",
            "matchExpressions", "template", "ports", "protocol", "targetPort", "clusterIP", "clusterIPs", "data");
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static Registry registry;

    @BeforeContainer
    static void registry() {
        registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        for (String ns : List.of("default", "fuzz")) {
            registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", ns), RequestContext.LOOPBACK);
        }
    }

    /** One change to a tree: the n-th node (in document order, modulo their number) replaced, or removed when null. */
    record Mutation(int node, JsonNode value) {
    }

    record Case(int template, List<Mutation> mutations) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just((JsonNode) null)),
                        net.jqwik.api.Tuple.of(6, values(2)))).as(Mutation::new);
        return Combinators.combine(Arbitraries.integers().between(0, TEMPLATES.size() - 1),
                mutation.list().ofMinSize(1).ofMaxSize(4)).as(Case::new);
    }

    /** JSON values of every shape, nested a little. */
    private static Arbitrary<JsonNode> values(int depth) {
        List<Arbitrary<JsonNode>> leaves = List.of(
                Arbitraries.just(F.nullNode()),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.of(0L, -1L, 1L, 80L, 30080L, 65536L, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE)
                        .map(F::numberNode),
                Arbitraries.of(new BigDecimal("1.5"), new BigDecimal("-0.0"), new BigDecimal("1e40")).map(F::numberNode),
                Arbitraries.just(new BigInteger("99999999999999999999")).map(F::numberNode),
                Arbitraries.of("", "x", "None", "ExternalName", "NodePort", "LoadBalancer", "10.96.0.10", "1Gi", "-1",
                        "In", "Exists", "TCP", "a/b", "$patch", "2024-01-01T00:00:00Z", "\u0000", "é").map(F::textNode));
        if (depth == 0) return Arbitraries.oneOf(leaves);
        Arbitrary<JsonNode> inner = values(depth - 1);
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(3).map(items -> {
            ArrayNode a = F.arrayNode();
            items.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(Arbitraries.of(FIELD_NAMES), inner).as(Map::entry).list().ofMaxSize(3)
                .map(entries -> {
                    ObjectNode o = F.objectNode();
                    entries.forEach(e -> o.set(e.getKey(), e.getValue()));
                    return o;
                });
        List<Arbitrary<JsonNode>> all = new ArrayList<>(leaves);
        all.add(arrays);
        all.add(objects);
        return Arbitraries.oneOf(all);
    }

    @Property(tries = 300, seed = "11", edgeCases = EdgeCasesMode.NONE)
    void createTakesAnyTree(@ForAll("cases") Case c) {
        ObjectNode object = mutated(c);
        ResourceStore store = storeFor(TEMPLATES.get(c.template()));
        attempt(object, () -> store.create("fuzz", object.deepCopy(), RequestContext.LOOPBACK));
    }

    @Property(tries = 300, seed = "12", edgeCases = EdgeCasesMode.NONE)
    void updateTakesAnyTree(@ForAll("cases") Case c) {
        ObjectNode template = TEMPLATES.get(c.template());
        ResourceStore store = storeFor(template);
        String name = "u" + NAMES.incrementAndGet();
        ObjectNode valid = template.deepCopy();
        ((ObjectNode) valid.get("metadata")).put("name", name);
        try {
            store.create("fuzz", valid, RequestContext.LOOPBACK);
        } catch (StatusException refused) {
            return; // a template this namespace cannot hold (the create property covers it)
        }
        ObjectNode stored = store.get("fuzz", name).toNode();
        ObjectNode object = stored.deepCopy();
        for (Mutation m : c.mutations()) mutate(object, m);
        if (object.get("metadata") instanceof ObjectNode meta) meta.put("name", name);
        attempt(object, () -> store.update("fuzz", name, object.deepCopy(), RequestContext.LOOPBACK));
        attempt(object, () -> store.patch("fuzz", name, current -> object.deepCopy(), RequestContext.LOOPBACK));
    }

    @Property(tries = 300, seed = "13", edgeCases = EdgeCasesMode.NONE)
    void patchEnginesTakeAnyPatch(@ForAll("cases") Case c) {
        ObjectNode current = TEMPLATES.get(c.template()).deepCopy();
        ObjectNode patch = mutated(c);
        ArrayNode jsonPatch = F.arrayNode();
        List<String> pointers = pointers(current, "");
        for (Mutation m : c.mutations()) {
            ObjectNode op = jsonPatch.addObject();
            op.put("op", List.of("add", "remove", "replace", "move", "copy", "test").get(m.node() % 6));
            op.put("path", pointers.get(m.node() % pointers.size()) + (m.node() % 7 == 0 ? "/-" : ""));
            op.put("from", pointers.get((m.node() / 7) % pointers.size()));
            if (m.value() != null) op.set("value", m.value());
        }
        String group = current.path("apiVersion").asText().contains("/") ? current.path("apiVersion").asText().split("/")[0] : "";
        String kind = current.path("kind").asText();
        for (PatchType type : List.of(PatchType.MERGE, PatchType.STRATEGIC)) {
            attemptPatch(patch, () -> Patches.apply(type, current.deepCopy(), patch, group, "v1", kind));
        }
        attemptPatch(jsonPatch, () -> Patches.apply(PatchType.JSON, current.deepCopy(), jsonPatch, group, "v1", kind));
    }

    private static void attempt(JsonNode input, Runnable action) {
        try {
            action.run();
        } catch (StatusException expected) {
            // refused with a Status: what the client sees
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("not a Status error for " + input, e);
        }
    }

    private static void attemptPatch(JsonNode patch, Runnable action) {
        try {
            action.run();
        } catch (PatchException expected) {
            // refused as the real server refuses it
        } catch (RuntimeException | StackOverflowError e) {
            fail("not a patch error for " + patch, e);
        }
    }

    private static ResourceStore storeFor(ObjectNode template) {
        String apiVersion = template.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String kind = template.path("kind").asText();
        for (ResourceStore s : registry.resources()) {
            if (s.type().group().equals(group) && s.type().kind().equals(kind)) return s;
        }
        throw new IllegalStateException("no resource for " + apiVersion + " " + kind);
    }

    private static ObjectNode mutated(Case c) {
        ObjectNode object = TEMPLATES.get(c.template()).deepCopy();
        ((ObjectNode) object.get("metadata")).put("name", "m" + NAMES.incrementAndGet());
        for (Mutation m : c.mutations()) mutate(object, m);
        return object;
    }

    /** Replaces (or removes) the n-th value below the root, counting in document order. */
    static void mutate(ObjectNode root, Mutation m) {
        List<JsonNode[]> slots = new ArrayList<>(); // {parent, key-or-index as a node}
        collect(root, slots);
        if (slots.isEmpty()) return;
        JsonNode[] slot = slots.get(m.node() % slots.size());
        if (slot[0] instanceof ObjectNode o) {
            if (m.value() == null) o.remove(slot[1].asText());
            else o.set(slot[1].asText(), m.value().deepCopy());
        } else if (slot[0] instanceof ArrayNode a) {
            if (m.value() == null) a.remove(slot[1].asInt());
            else a.set(slot[1].asInt(), m.value().deepCopy());
        }
    }

    private static void collect(JsonNode node, List<JsonNode[]> slots) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(f -> {
                slots.add(new JsonNode[] {o, F.textNode(f)});
                collect(o.get(f), slots);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new JsonNode[] {a, F.numberNode(i)});
                collect(a.get(i), slots);
            }
        }
    }

    private static List<String> pointers(JsonNode node, String at) {
        List<String> out = new ArrayList<>(List.of(at));
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(f -> out.addAll(pointers(o.get(f), at + "/" + f.replace("~", "~0").replace("/", "~1"))));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) out.addAll(pointers(a.get(i), at + "/" + i));
        }
        return out;
    }

    private static List<ObjectNode> templates() {
        try (InputStream in = WrongShapesPropertyTest.class.getResourceAsStream("/fuzz/objects.json")) {
            List<ObjectNode> out = new ArrayList<>();
            for (JsonNode n : Json.MAPPER.readTree(in)) out.add((ObjectNode) n);
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
