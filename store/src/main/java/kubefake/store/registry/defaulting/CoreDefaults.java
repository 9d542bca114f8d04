package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Defaults of the simpler core/v1 kinds (Namespace, Secret, PersistentVolume(Claim), Endpoints), and the small
 * JSON helpers every defaulter uses.
 */
final class CoreDefaults {

    private CoreDefaults() {
    }

    /** Namespace: the {@code kubernetes.io/metadata.name} label, the {@code kubernetes} finalizer, phase Active. */
    static void namespace(ObjectNode ns) {
        ObjectNode meta = object(ns, "metadata");
        String name = meta.path("name").asText("");
        if (!name.isEmpty()) {
            object(meta, "labels").put("kubernetes.io/metadata.name", name);
        }
        ArrayNode finalizers = array(object(ns, "spec"), "finalizers");
        boolean has = false;
        for (JsonNode f : finalizers) {
            has |= f.asText().equals("kubernetes");
        }
        if (!has) {
            finalizers.add("kubernetes");
        }
        namespaceStatus(ns);
    }

    /** A Namespace's status default: phase Active. */
    static void namespaceStatus(ObjectNode ns) {
        putIfAbsent(object(ns, "status"), "phase", "Active");
    }

    /** Secret: type Opaque, and {@code stringData} merged into {@code data} (it is never stored). */
    static void secret(ObjectNode secret) {
        JsonNode stringData = secret.remove("stringData");
        if (stringData != null && stringData.isObject() && stringData.size() > 0) {
            ObjectNode data = object(secret, "data");
            for (Map.Entry<String, JsonNode> e : fields(stringData)) {
                data.put(e.getKey(), Base64.getEncoder()
                        .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (secret.path("type").asText("").isEmpty()) {
            secret.put("type", "Opaque");
        }
    }

    /**
     * LimitRange (SetDefaults_LimitRangeItem): a Container item's default limit is its max, and its default request its
     * default limit, else its min.
     */
    static void limitRange(ObjectNode range) {
        for (JsonNode item : range.path("spec").path("limits")) {
            if (!(item instanceof ObjectNode i) || !i.path("type").asText().equals("Container")) continue;
            ObjectNode limits = object(i, "default");
            ObjectNode requests = object(i, "defaultRequest");
            fillAbsent(limits, i.path("max"));
            fillAbsent(requests, limits);
            fillAbsent(requests, i.path("min"));
            if (limits.isEmpty()) i.remove("default");
            if (requests.isEmpty()) i.remove("defaultRequest");
        }
    }

    private static void fillAbsent(ObjectNode list, JsonNode from) {
        for (Map.Entry<String, JsonNode> e : fields(from)) {
            if (!list.has(e.getKey())) list.set(e.getKey(), e.getValue().deepCopy());
        }
    }

    /** PVC: volumeMode Filesystem, phase Pending. */
    static void persistentVolumeClaim(ObjectNode pvc) {
        putIfAbsent(object(pvc, "spec"), "volumeMode", "Filesystem");
        pendingStatus(pvc);
    }

    /** A PVC's or PV's status default: phase Pending. */
    static void pendingStatus(ObjectNode volume) {
        putIfAbsent(object(volume, "status"), "phase", "Pending");
    }

    /** PV: reclaim policy Retain, volumeMode Filesystem, phase Pending. */
    static void persistentVolume(ObjectNode pv) {
        ObjectNode spec = object(pv, "spec");
        putIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
        putIfAbsent(spec, "volumeMode", "Filesystem");
        pendingStatus(pv);
    }

    /** Endpoints: port protocol TCP. */
    static void endpoints(ObjectNode ep) {
        for (JsonNode subset : ep.path("subsets")) {
            for (JsonNode port : subset.path("ports")) {
                if (port instanceof ObjectNode p) putIfAbsent(p, "protocol", "TCP");
            }
        }
    }

    // ---- helpers ----

    /** The child object, created when missing or null. */
    static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    /** The child array, created when missing or null. */
    static ArrayNode array(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ArrayNode a) {
            return a;
        }
        return parent.putArray(field);
    }

    static boolean absent(ObjectNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull();
    }

    static boolean emptyText(ObjectNode n, String field) {
        return absent(n, field) || n.get(field).asText().isEmpty();
    }

    static void putIfAbsent(ObjectNode n, String field, String value) {
        if (emptyText(n, field)) {
            n.put(field, value);
        }
    }

    /** Puts a number as Jackson reads it from JSON: an int node when it fits, a long node otherwise. */
    static void putIfAbsent(ObjectNode n, String field, long value) {
        if (absent(n, field)) {
            putNumber(n, field, value);
        }
    }

    static void putNumber(ObjectNode n, String field, long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            n.put(field, (int) value);
        } else {
            n.put(field, value);
        }
    }

    static void putIfAbsent(ObjectNode n, String field, boolean value) {
        if (absent(n, field)) {
            n.put(field, value);
        }
    }

    static List<Map.Entry<String, JsonNode>> fields(JsonNode n) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        out.addAll(n.properties());
        return out;
    }

    /** The object elements of an array field (skipping nulls). */
    static List<ObjectNode> objects(ObjectNode parent, String field) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode n = parent.get(field);
        if (n != null) {
            for (JsonNode e : n) {
                if (e instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }
}
