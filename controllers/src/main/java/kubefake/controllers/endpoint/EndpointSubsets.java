package kubefake.controllers.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds an Endpoints object's {@code subsets} as {@code endpoints.RepackSubsets} does: one subset per set of
 * addresses (with their readiness) that offer the same ports, addresses sorted by IP then pod uid, and at most
 * {@link #MAX_CAPACITY} addresses kept ({@code truncateEndpoints}), ready ones first.
 */
final class EndpointSubsets {
    /** The most addresses an Endpoints object holds; beyond, it is truncated and annotated. */
    static final int MAX_CAPACITY = 1000;
    /** Stands for "no ports" (a headless service without ports), as the real code's sentinel. */
    private static final String NO_PORT = "";

    /** address key (ip + uid) → the address, in first-seen order. */
    private final Map<String, ObjectNode> addresses = new LinkedHashMap<>();
    /** port (as JSON text, or NO_PORT) → address key → ready. */
    private final Map<String, Map<String, Boolean>> byPort = new LinkedHashMap<>();
    private final Map<String, ObjectNode> ports = new LinkedHashMap<>();

    /** Adds one pod's address for one port (null for none); an address ready for a port stays ready. */
    void add(ObjectNode address, ObjectNode port, boolean ready) {
        String key = Json.text(address, "ip") + "/" + Json.text(address.path("targetRef"), "uid");
        addresses.putIfAbsent(key, address);
        String portKey = port == null ? NO_PORT : port.toString();
        if (port != null) ports.putIfAbsent(portKey, port);
        byPort.computeIfAbsent(portKey, k -> new TreeMap<>()).merge(key, ready, Boolean::logicalOr);
    }

    /** The subsets, repacked and sorted. */
    ArrayNode build() {
        // ports offered by the same addresses (same readiness) share a subset
        Map<String, List<String>> portsByAddressSet = new LinkedHashMap<>();
        Map<String, Map<String, Boolean>> addressSets = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Boolean>> e : byPort.entrySet()) {
            String setKey = e.getValue().toString();
            addressSets.putIfAbsent(setKey, e.getValue());
            List<String> portKeys = portsByAddressSet.computeIfAbsent(setKey, k -> new ArrayList<>());
            if (!e.getKey().equals(NO_PORT)) portKeys.add(e.getKey());
        }
        List<ObjectNode> subsets = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : portsByAddressSet.entrySet()) {
            List<ObjectNode> ready = new ArrayList<>();
            List<ObjectNode> notReady = new ArrayList<>();
            for (Map.Entry<String, Boolean> a : addressSets.get(e.getKey()).entrySet()) {
                (a.getValue() ? ready : notReady).add(addresses.get(a.getKey()));
            }
            ready.sort(ADDRESS_ORDER);
            notReady.sort(ADDRESS_ORDER);
            ObjectNode subset = Json.MAPPER.createObjectNode();
            if (!ready.isEmpty()) subset.putArray("addresses").addAll(ready);
            if (!notReady.isEmpty()) subset.putArray("notReadyAddresses").addAll(notReady);
            List<ObjectNode> subsetPorts = new ArrayList<>();
            for (String p : e.getValue()) subsetPorts.add(ports.get(p));
            subsetPorts.sort(PORT_ORDER);
            if (!subsetPorts.isEmpty()) subset.putArray("ports").addAll(subsetPorts);
            subsets.add(subset);
        }
        subsets.sort(Comparator.comparing(EndpointSubsets::firstAddress, ADDRESS_ORDER)
                .thenComparing(s -> s.path("ports").toString()));
        ArrayNode out = Json.MAPPER.createArrayNode();
        out.addAll(subsets);
        return out;
    }

    private static JsonNode firstAddress(ObjectNode subset) {
        JsonNode a = subset.path("addresses").path(0);
        return a.isMissingNode() ? subset.path("notReadyAddresses").path(0) : a;
    }

    /** {@code LessEndpointAddress}: by IP, then by the pod's uid. */
    static final Comparator<JsonNode> ADDRESS_ORDER = Comparator.comparing((JsonNode a) -> Json.text(a, "ip"))
            .thenComparing(a -> Json.text(a.path("targetRef"), "uid"));
    private static final Comparator<JsonNode> PORT_ORDER = Comparator.comparing((JsonNode p) -> Json.text(p, "name"))
            .thenComparingInt(p -> p.path("port").asInt()).thenComparing(p -> Json.text(p, "protocol"));

    /** Number of addresses, ready or not. */
    static int count(JsonNode subsets) {
        int n = 0;
        for (JsonNode s : subsets) n += s.path("addresses").size() + s.path("notReadyAddresses").size();
        return n;
    }

    /**
     * Cuts the subsets down to {@link #MAX_CAPACITY} addresses, each subset keeping its share: not-ready addresses go
     * first; when the ready ones alone are too many they are cut too and every not-ready one dropped.
     *
     * @return whether anything was cut
     */
    static boolean truncate(ArrayNode subsets) {
        int ready = 0;
        int notReady = 0;
        for (JsonNode s : subsets) {
            ready += s.path("addresses").size();
            notReady += s.path("notReadyAddresses").size();
        }
        if (ready + notReady <= MAX_CAPACITY) return false;
        boolean cutReady = ready > MAX_CAPACITY;
        int max = cutReady ? MAX_CAPACITY : MAX_CAPACITY - ready;
        int total = cutReady ? ready : notReady;
        int room = max;
        for (JsonNode n : subsets) {
            ObjectNode s = (ObjectNode) n;
            String field = cutReady ? "addresses" : "notReadyAddresses";
            int inSubset = s.path(field).size();
            int share = Math.min((int) Math.ceil((double) inSubset / total * max), room);
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (int i = 0; i < Math.min(share, inSubset); i++) kept.add(s.path(field).get(i));
            if (kept.isEmpty()) s.remove(field);
            else s.set(field, kept);
            if (cutReady) s.remove("notReadyAddresses");
            room -= kept.size();
        }
        return true;
    }
}
