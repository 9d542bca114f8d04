package kubefake.server.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.ResourceType.Subresource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents, built once from the served resources: legacy (/api, /apis, /api/v1, /apis/G/V: APIVersions,
 * APIGroupList, APIResourceList) and aggregated (apidiscovery.k8s.io/v2 APIGroupDiscoveryList for /api and /apis).
 * Like a real 1.33 server, a client asking only for v2beta1 gets the legacy documents.
 */
public final class Discovery {
    public static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private final Map<String, List<ResourceType>> byGroupVersion = new LinkedHashMap<>();
    private final byte[] legacyApiGroupList;
    private final byte[] aggregatedCore;
    private final byte[] aggregatedGroups;
    private final String aggregatedCoreEtag;
    private final String aggregatedGroupsEtag;
    private final Map<String, byte[]> resourceLists = new LinkedHashMap<>();
    private final Map<String, byte[]> apiGroups = new LinkedHashMap<>();

    private final java.util.Set<ResourceType> persisted = new java.util.HashSet<>();

    public Discovery(List<ResourceStore> resources) {
        for (ResourceStore rs : resources) {
            if (rs.strategy().persisted()) persisted.add(rs.type());
            byGroupVersion.computeIfAbsent(rs.type().groupVersion(), k -> new ArrayList<>()).add(rs.type());
        }
        for (var e : byGroupVersion.entrySet()) {
            e.getValue().sort((a, b) -> a.resource().compareTo(b.resource()));
            resourceLists.put(e.getKey(), Json.bytes(resourceList(e.getKey(), e.getValue())));
        }
        legacyApiGroupList = Json.bytes(apiGroupList());
        for (ObjectNode g : groups()) {
            ObjectNode doc = Json.MAPPER.createObjectNode();
            doc.put("kind", "APIGroup").put("apiVersion", "v1");
            doc.setAll(g);
            apiGroups.put(g.path("name").asText(), Json.bytes(doc));
        }
        aggregatedCore = Json.bytes(aggregated(true));
        aggregatedGroups = Json.bytes(aggregated(false));
        aggregatedCoreEtag = etag(aggregatedCore);
        aggregatedGroupsEtag = etag(aggregatedGroups);
    }

        public byte[] legacyApiVersions(String serverAddress) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", "APIVersions");
        n.putArray("versions").add("v1");
        n.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return Json.bytes(n);
    }

    public byte[] legacyApiGroupList() { return legacyApiGroupList; }

    public byte[] aggregatedCore() { return aggregatedCore; }

    public byte[] aggregatedGroups() { return aggregatedGroups; }

    public String aggregatedCoreEtag() { return aggregatedCoreEtag; }

    public String aggregatedGroupsEtag() { return aggregatedGroupsEtag; }

    /** The APIResourceList of a group-version ("v1", "apps/v1"), or null when not served. */
    public byte[] resourceList(String groupVersion) {
        return resourceLists.get(groupVersion);
    }

    /** The APIGroup document of /apis/GROUP, or null when not served. */
    public byte[] apiGroup(String group) {
        return apiGroups.get(group);
    }

    /** Served group-versions ("v1", "apps/v1", ...) in discovery order. */
    public List<String> groupVersions() {
        return List.copyOf(byGroupVersion.keySet());
    }

    private List<ObjectNode> groups() {
        List<ObjectNode> out = new ArrayList<>();
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (var gv : byGroupVersion.keySet()) {
            if (!gv.contains("/")) continue;
            String[] p = gv.split("/");
            versions.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
        }
        for (var e : versions.entrySet()) {
            ObjectNode g = Json.MAPPER.createObjectNode();
            g.put("name", e.getKey());
            ArrayNode vs = g.putArray("versions");
            for (String v : e.getValue()) vs.addObject().put("groupVersion", e.getKey() + "/" + v).put("version", v);
            g.putObject("preferredVersion").put("groupVersion", e.getKey() + "/" + e.getValue().get(0))
                    .put("version", e.getValue().get(0));
            out.add(g);
        }
        return out;
    }

    private ObjectNode apiGroupList() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = n.putArray("groups");
        groups().forEach(groups::add);
        return n;
    }

    private ObjectNode resourceList(String groupVersion, List<ResourceType> types) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", "APIResourceList");
        if (groupVersion.contains("/")) n.put("apiVersion", "v1");
        n.put("groupVersion", groupVersion);
        ArrayNode resources = n.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = resources.addObject();
            r.put("name", t.resource()).put("singularName", t.singular()).put("namespaced", t.namespaced()).put("kind", t.kind());
            strings(r.putArray("verbs"), t.verbs());
            if (!t.shortNames().isEmpty()) strings(r.putArray("shortNames"), t.shortNames());
            if (!t.categories().isEmpty()) strings(r.putArray("categories"), t.categories());
            if (persisted.contains(t)) r.put("storageVersionHash", storageVersionHash(t));
            for (Subresource s : t.subresources()) {
                ObjectNode sr = resources.addObject();
                sr.put("name", t.resource() + "/" + s.name()).put("singularName", "").put("namespaced", t.namespaced());
                if (!s.group().equals(t.group()) || !s.version().equals(t.version())) {
                    sr.put("group", s.group()).put("version", s.version());
                }
                sr.put("kind", s.kind());
                strings(sr.putArray("verbs"), s.verbs());
            }
        }
        return n;
    }

    private ObjectNode aggregated(boolean core) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
        n.putObject("metadata");
        ArrayNode items = n.putArray("items");
        Map<String, List<String>> groupVersions = new LinkedHashMap<>();
        for (String gv : byGroupVersion.keySet()) {
            boolean isCore = !gv.contains("/");
            if (isCore != core) continue;
            String group = isCore ? "" : gv.substring(0, gv.indexOf('/'));
            groupVersions.computeIfAbsent(group, k -> new ArrayList<>()).add(gv);
        }
        for (var e : groupVersions.entrySet()) {
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            if (!core) meta.put("name", e.getKey());
            meta.putNull("creationTimestamp");
            ArrayNode versions = item.putArray("versions");
            for (String gv : e.getValue()) {
                ObjectNode v = versions.addObject();
                v.put("version", gv.contains("/") ? gv.substring(gv.indexOf('/') + 1) : gv);
                ArrayNode resources = v.putArray("resources");
                for (ResourceType t : byGroupVersion.get(gv)) resources.add(aggregatedResource(t));
                v.put("freshness", "Current");
            }
        }
        return n;
    }

    private ObjectNode aggregatedResource(ResourceType t) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("resource", t.resource());
        r.putObject("responseKind").put("group", "").put("version", "").put("kind", t.kind());
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        strings(r.putArray("verbs"), t.verbs());
        if (!t.shortNames().isEmpty()) strings(r.putArray("shortNames"), t.shortNames());
        if (!t.categories().isEmpty()) strings(r.putArray("categories"), t.categories());
        if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (Subresource s : t.subresources()) {
                ObjectNode sr = subs.addObject();
                sr.put("subresource", s.name());
                boolean sameGroup = s.group().equals(t.group()) && s.version().equals(t.version());
                sr.putObject("responseKind").put("group", sameGroup ? "" : s.group()).put("version", sameGroup ? "" : s.version())
                        .put("kind", s.kind());
                strings(sr.putArray("verbs"), s.verbs());
            }
        }
        return r;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /** base64 of the first 8 bytes of sha256("group/version/Kind"), as the real server computes it. */
    static String storageVersionHash(ResourceType t) {
        ResourceType.Storage s = t.storageOrSelf();
        byte[] d = sha256((s.group() + "/" + s.version() + "/" + s.kind()).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(d, 8));
    }

    static String etag(byte[] body) {
        return "\"" + HexFormat.of().withUpperCase().formatHex(sha512(body)) + "\"";
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha512(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
