package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static kubefake.store.registry.defaulting.CoreDefaults.absent;
import static kubefake.store.registry.defaulting.CoreDefaults.object;
import static kubefake.store.registry.defaulting.CoreDefaults.objects;
import static kubefake.store.registry.defaulting.CoreDefaults.putIfAbsent;

/**
 * The scheme defaults of a PodSpec, shared by pods and every pod template (core/v1 {@code SetDefaults_PodSpec},
 * {@code SetDefaults_Container}, {@code SetDefaults_ContainerPort}, {@code SetDefaults_Probe},
 * {@code SetDefaults_Volume} and friends).
 */
public final class PodSpecDefaults {

    /** Where the kubelet writes a container's termination message by default. */
    public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    /** The default scheduler's name. */
    public static final String DEFAULT_SCHEDULER = "default-scheduler";
    /** Default grace period of a pod's deletion, in seconds. */
    public static final long TERMINATION_GRACE_PERIOD_SECONDS = 30;
    /** Default file mode of secret, configMap, downwardAPI and projected volumes (0644). */
    public static final int DEFAULT_MODE = 420;

    private PodSpecDefaults() {
    }

    /** A PodTemplateSpec: its spec's defaults. */
    public static void applyTemplate(ObjectNode template) {
        applySpec(object(template, "spec"));
    }

    /** {@code SetDefaults_PodSpec} and the defaults of everything inside the spec. */
    public static void applySpec(ObjectNode spec) {
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "restartPolicy", "Always");
        if (absent(spec, "securityContext")) {
            spec.putObject("securityContext");
        }
        putIfAbsent(spec, "terminationGracePeriodSeconds", TERMINATION_GRACE_PERIOD_SECONDS);
        putIfAbsent(spec, "schedulerName", DEFAULT_SCHEDULER);
        // The v1 conversion keeps the deprecated serviceAccount field equal to serviceAccountName.
        String sa = spec.path("serviceAccountName").asText("");
        String deprecated = spec.path("serviceAccount").asText("");
        if (sa.isEmpty() && !deprecated.isEmpty()) {
            spec.put("serviceAccountName", deprecated);
        } else if (!sa.isEmpty()) {
            spec.put("serviceAccount", sa);
        }
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (ObjectNode c : objects(spec, list)) {
                applyContainer(c);
            }
        }
        for (ObjectNode v : objects(spec, "volumes")) {
            applyVolume(v);
        }
    }

    /** {@code SetDefaults_Container} plus ports, probes, env and lifecycle handlers. */
    public static void applyContainer(ObjectNode c) {
        putIfAbsent(c, "terminationMessagePath", TERMINATION_MESSAGE_PATH);
        putIfAbsent(c, "terminationMessagePolicy", "File");
        if (CoreDefaults.emptyText(c, "imagePullPolicy")) {
            c.put("imagePullPolicy", "latest".equals(imageTag(c.path("image").asText(""))) ? "Always" : "IfNotPresent");
        }
        for (ObjectNode port : objects(c, "ports")) {
            putIfAbsent(port, "protocol", "TCP");
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (c.get(probe) instanceof ObjectNode p) {
                putIfAbsent(p, "timeoutSeconds", 1);
                putIfAbsent(p, "periodSeconds", 10);
                putIfAbsent(p, "successThreshold", 1);
                putIfAbsent(p, "failureThreshold", 3);
                applyHandler(p);
            }
        }
        if (c.get("lifecycle") instanceof ObjectNode lifecycle) {
            for (String hook : List.of("postStart", "preStop")) {
                if (lifecycle.get(hook) instanceof ObjectNode h) {
                    applyHandler(h);
                }
            }
        }
        for (ObjectNode env : objects(c, "env")) {
            if (env.path("valueFrom").get("fieldRef") instanceof ObjectNode ref) {
                putIfAbsent(ref, "apiVersion", "v1");
            }
        }
    }

    private static void applyHandler(ObjectNode handler) {
        if (handler.get("httpGet") instanceof ObjectNode http) {
            putIfAbsent(http, "path", "/");
            putIfAbsent(http, "scheme", "HTTP");
        }
    }

    /**
     * The tag of an image reference as the kubelet's parser sees it: the part after the last ':' of the last
     * path segment, {@code latest} when there is neither a tag nor a digest, empty with a digest only.
     */
    static String imageTag(String image) {
        String ref = image;
        int at = ref.indexOf('@');
        boolean digest = at >= 0;
        if (digest) {
            ref = ref.substring(0, at);
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return ref.substring(colon + 1);
        }
        return digest ? "" : "latest";
    }

    /** {@code SetDefaults_Volume} and the defaults of each volume source. */
    public static void applyVolume(ObjectNode v) {
        boolean hasSource = false;
        for (var e : CoreDefaults.fields(v)) {
            if (!e.getKey().equals("name") && !e.getValue().isNull()) {
                hasSource = true;
            }
        }
        if (!hasSource) {
            v.putObject("emptyDir");
        }
        if (v.get("secret") instanceof ObjectNode s) {
            putIfAbsent(s, "defaultMode", DEFAULT_MODE);
        }
        if (v.get("configMap") instanceof ObjectNode cm) {
            putIfAbsent(cm, "defaultMode", DEFAULT_MODE);
        }
        if (v.get("downwardAPI") instanceof ObjectNode d) {
            putIfAbsent(d, "defaultMode", DEFAULT_MODE);
            applyDownwardItems(d);
        }
        if (v.get("hostPath") instanceof ObjectNode h) {
            if (absent(h, "type")) {
                h.put("type", "");
            }
        }
        if (v.get("projected") instanceof ObjectNode p) {
            putIfAbsent(p, "defaultMode", DEFAULT_MODE);
            for (ObjectNode source : objects(p, "sources")) {
                if (source.get("serviceAccountToken") instanceof ObjectNode t) {
                    putIfAbsent(t, "expirationSeconds", 3600);
                }
                if (source.get("downwardAPI") instanceof ObjectNode d) {
                    applyDownwardItems(d);
                }
            }
        }
        if (v.get("iscsi") instanceof ObjectNode iscsi) {
            putIfAbsent(iscsi, "iscsiInterface", "default");
        }
        if (v.get("rbd") instanceof ObjectNode rbd) {
            putIfAbsent(rbd, "pool", "rbd");
            putIfAbsent(rbd, "user", "admin");
            putIfAbsent(rbd, "keyring", "/etc/ceph/keyring");
        }
        if (v.path("ephemeral").path("volumeClaimTemplate").get("spec") instanceof ObjectNode pvcSpec) {
            putIfAbsent(pvcSpec, "volumeMode", "Filesystem");
        }
    }

    private static void applyDownwardItems(ObjectNode downward) {
        for (ObjectNode item : objects(downward, "items")) {
            if (item.get("fieldRef") instanceof ObjectNode ref) {
                putIfAbsent(ref, "apiVersion", "v1");
            }
        }
    }

    /** Whether a JSON value is missing or null. */
    static boolean missing(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }
}
