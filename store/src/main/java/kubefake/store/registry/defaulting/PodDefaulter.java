package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Random;

import static kubefake.store.registry.defaulting.CoreDefaults.array;
import static kubefake.store.registry.defaulting.CoreDefaults.object;
import static kubefake.store.registry.defaulting.CoreDefaults.objects;
import static kubefake.store.registry.defaulting.CoreDefaults.putIfAbsent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import kubefake.store.registry.validation.Quantity;
import java.util.ArrayList;

/**
 * What a pod gets on create: the PodSpec scheme defaults, {@code SetDefaults_Pod} (requests from limits,
 * {@code enableServiceLinks}, host-network ports), then the admission plugins of a default kubeadm API server —
 * ServiceAccount ({@code serviceAccountName: default} and the {@code kube-api-access-xxxxx} projected token
 * volume mounted in every container), Priority ({@code priority}, {@code preemptionPolicy}) and
 * DefaultTolerationSeconds (not-ready and unreachable, 300 s) — and the strategy's initial status
 * ({@code phase: Pending}, {@code qosClass}).
 */
public final class PodDefaulter implements Defaulter {

    /** Where the service account token volume is mounted. */
    public static final String SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** The token volume's name prefix; five random characters follow. */
    public static final String TOKEN_VOLUME_PREFIX = "kube-api-access-";
    /** The lifetime the ServiceAccount admission plugin asks for its projected token. */
    public static final long TOKEN_EXPIRATION_SECONDS = 3607;
    /** How long pods tolerate a not-ready or unreachable node by default. */
    public static final long DEFAULT_TOLERATION_SECONDS = 300;

    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final Random random;

    /** A pod defaulter drawing token volume suffixes from {@code random}. */
    public PodDefaulter(Random random) {
        this.random = random;
    }

    @Override
    public void apply(ObjectNode pod) {
        applyOnUpdate(pod);
        ObjectNode spec = object(pod, "spec");
        JsonNode annotations = pod.path("metadata").path("annotations");
        boolean mirror = annotations.has("kubernetes.io/config.mirror");
        if (!mirror) {
            serviceAccountAdmission(spec);
        }
        priorityAdmission(spec);
        defaultTolerations(spec);
        ObjectNode status = object(pod, "status");
        putIfAbsent(status, "phase", "Pending");
        putIfAbsent(status, "qosClass", qosClass(spec));
    }

    /** The scheme defaults alone (what decoding an update applies). */
    @Override
    public void applyOnUpdate(ObjectNode pod) {
        ObjectNode spec = object(pod, "spec");
        PodSpecDefaults.applySpec(spec);
        for (String list : List.of("initContainers", "containers")) {
            for (ObjectNode c : objects(spec, list)) {
                requestsFromLimits(c);
                if (spec.path("hostNetwork").asBoolean(false)) {
                    for (ObjectNode port : objects(c, "ports")) {
                        if (port.path("hostPort").asLong(0) == 0 && port.has("containerPort")) {
                            port.set("hostPort", port.get("containerPort"));
                        }
                    }
                }
            }
        }
        putIfAbsent(spec, "enableServiceLinks", true);
    }

    private static void requestsFromLimits(ObjectNode c) {
        JsonNode limits = c.path("resources").get("limits");
        if (limits == null || !limits.isObject()) {
            return;
        }
        ObjectNode requests = object(object(c, "resources"), "requests");
        for (var e : CoreDefaults.fields(limits)) {
            if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private void serviceAccountAdmission(ObjectNode spec) {
        putIfAbsent(spec, "serviceAccountName", "default");
        spec.put("serviceAccount", spec.path("serviceAccountName").asText());
        if (!spec.path("automountServiceAccountToken").asBoolean(true)) {
            return;
        }
        String volumeName = null;
        for (ObjectNode c : containersOf(spec)) {
            for (ObjectNode m : objects(c, "volumeMounts")) {
                if (m.path("mountPath").asText().equals(SERVICE_ACCOUNT_MOUNT_PATH)) {
                    return; // the user mounts something there already
                }
            }
        }
        for (ObjectNode v : objects(spec, "volumes")) {
            if (v.path("name").asText().startsWith(TOKEN_VOLUME_PREFIX)) {
                volumeName = v.path("name").asText();
            }
        }
        if (volumeName == null) {
            volumeName = TOKEN_VOLUME_PREFIX + randomSuffix();
            array(spec, "volumes").add(tokenVolume(volumeName));
        }
        for (ObjectNode c : containersOf(spec)) {
            ObjectNode mount = array(c, "volumeMounts").addObject();
            mount.put("mountPath", SERVICE_ACCOUNT_MOUNT_PATH);
            mount.put("name", volumeName);
            mount.put("readOnly", true);
        }
    }

    private static List<ObjectNode> containersOf(ObjectNode spec) {
        List<ObjectNode> all = new ArrayList<>(objects(spec, "initContainers"));
        all.addAll(objects(spec, "containers"));
        return all;
    }

    private String randomSuffix() {
        StringBuilder b = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            b.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
        }
        return b.toString();
    }

    /** The projected volume the ServiceAccount admission plugin adds: token, cluster CA, namespace. */
    static ObjectNode tokenVolume(String name) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("name", name);
        ObjectNode projected = v.putObject("projected");
        projected.put("defaultMode", PodSpecDefaults.DEFAULT_MODE);
        ArrayNode sources = projected.putArray("sources");
        ObjectNode token = sources.addObject().putObject("serviceAccountToken");
        token.put("expirationSeconds", (int) TOKEN_EXPIRATION_SECONDS);
        token.put("path", "token");
        ObjectNode ca = sources.addObject().putObject("configMap");
        ObjectNode caItem = ca.putArray("items").addObject();
        caItem.put("key", "ca.crt");
        caItem.put("path", "ca.crt");
        ca.put("name", "kube-root-ca.crt");
        ObjectNode downward = sources.addObject().putObject("downwardAPI");
        ObjectNode item = downward.putArray("items").addObject();
        ObjectNode fieldRef = item.putObject("fieldRef");
        fieldRef.put("apiVersion", "v1");
        fieldRef.put("fieldPath", "metadata.namespace");
        item.put("path", "namespace");
        return v;
    }

    private static void priorityAdmission(ObjectNode spec) {
        String className = spec.path("priorityClassName").asText("");
        long priority = switch (className) {
            case "system-node-critical" -> 2000001000L;
            case "system-cluster-critical" -> 2000000000L;
            default -> 0L;
        };
        putIfAbsent(spec, "priority", priority);
        putIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
    }

    private static void defaultTolerations(ObjectNode spec) {
        for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean tolerated = false;
            for (ObjectNode t : objects(spec, "tolerations")) {
                String tKey = t.path("key").asText("");
                String effect = t.path("effect").asText("");
                boolean exists = t.path("operator").asText("").equals("Exists");
                if ((tKey.isEmpty() && exists) || (tKey.equals(key) && (effect.isEmpty() || effect.equals("NoExecute")))) {
                    tolerated = true;
                }
            }
            if (!tolerated) {
                ObjectNode t = array(spec, "tolerations").addObject();
                t.put("effect", "NoExecute");
                t.put("key", key);
                t.put("operator", "Exists");
                t.put("tolerationSeconds", (int) DEFAULT_TOLERATION_SECONDS);
            }
        }
    }

    /** The pod's QoS class from its containers' cpu and memory requests and limits. */
    static String qosClass(ObjectNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (ObjectNode c : containersOf(spec)) {
            JsonNode requests = c.path("resources").path("requests");
            JsonNode limits = c.path("resources").path("limits");
            for (String r : List.of("cpu", "memory")) {
                JsonNode req = requests.get(r);
                JsonNode lim = limits.get(r);
                if (req != null || lim != null) {
                    any = true;
                }
                if (lim == null || (req != null && !sameQuantity(req.asText(), lim.asText()))) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static boolean sameQuantity(String a, String b) {
        try {
            return Quantity.parse(a)
                    .compareTo(Quantity.parse(b)) == 0;
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }
}
