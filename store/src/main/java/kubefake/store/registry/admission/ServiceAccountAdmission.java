package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.NameGenerator;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.request.Waiting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * ServiceAccount (plugin/pkg/admission/serviceaccount): a new pod runs as {@code default} unless it names a service
 * account, which must exist ({@code error looking up service account ns/sa: serviceaccount "sa" not found}); every
 * container mounts the projected {@code kube-api-access-<5>} volume (token, cluster CA, namespace) at
 * {@value #MOUNT_PATH} unless the pod or its service account opts out; the service account's imagePullSecrets are
 * the pod's when it names none. Mirror pods may reference neither service accounts nor secrets.
 *
 * <p>Like the real plugin, not finding {@code default} it looks again for a while (the real one asks storage ten
 * times, 100-200 ms apart): the serviceaccount controller creates it moments after its namespace appears, and
 * {@code kubectl create namespace x && kubectl run -n x ...} must not fail in between. Other names are looked up
 * once.
 */
public final class ServiceAccountAdmission implements MutatingPlugin, ValidatingPlugin {
    public static final String DEFAULT_SERVICE_ACCOUNT = "default";
    /** Where the token volume is mounted (DefaultAPITokenMountPath). */
    public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** The token volume's name prefix; five random characters follow. */
    public static final String TOKEN_VOLUME_PREFIX = "kube-api-access-";
    /** The token lifetime the projected volume asks for (WarnOnlyBoundTokenExpirationSeconds). */
    public static final int TOKEN_EXPIRATION_SECONDS = 3607;
    /** The projected volume's file mode (0644). */
    private static final int DEFAULT_MODE = 420;
    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    /** How often a missing {@code default} service account is looked up again while waiting for it. */
    private static final long RETRY_MILLIS = 20;

    private final Random random;
    /** Where service accounts are looked up; null when their existence is not checked (no controller makes them). */
    private final AdmissionLookups lookups;
    private final Duration defaultWait;

    /**
     * @param lookups null to admit pods without checking that their service account exists (then the service
     *                account's own automount and imagePullSecrets are not consulted either)
     */
    public ServiceAccountAdmission(Random random, AdmissionLookups lookups) {
        this(random, lookups, Duration.ZERO);
    }

    /** @param defaultWait how long a missing {@code default} service account is waited for before the pod is refused */
    public ServiceAccountAdmission(Random random, AdmissionLookups lookups, Duration defaultWait) {
        this.random = random;
        this.lookups = lookups;
        this.defaultWait = defaultWait;
    }

    @Override
    public String name() {
        return "ServiceAccount";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        ObjectNode pod = a.createdPod();
        if (pod == null || isMirror(pod)) return; // the validating half checks what a mirror pod may reference
        ObjectNode spec = spec(pod);
        if (spec.path("serviceAccountName").asText("").isEmpty()) spec.put("serviceAccountName", DEFAULT_SERVICE_ACCOUNT);
        String name = spec.path("serviceAccountName").asText();
        // the v1 form keeps the deprecated field equal to the name
        spec.put("serviceAccount", name);
        ObjectNode serviceAccount = serviceAccount(a, name);
        if (automount(serviceAccount, spec)) mountToken(spec);
        JsonNode pullSecrets = spec.path("imagePullSecrets");
        if (serviceAccount != null && pullSecrets.isEmpty() && !serviceAccount.path("imagePullSecrets").isEmpty()) {
            ArrayNode copied = spec.putArray("imagePullSecrets");
            for (JsonNode s : serviceAccount.path("imagePullSecrets")) copied.addObject().put("name", s.path("name").asText(""));
        }
    }

    @Override
    public void validate(AdmissionAttributes a) {
        ObjectNode pod = a.createdPod();
        if (pod == null) return;
        ObjectNode spec = spec(pod);
        if (isMirror(pod)) {
            if (!spec.path("serviceAccountName").asText("").isEmpty()) {
                throw a.forbidden("a mirror pod may not reference service accounts");
            }
            if (referencesSecrets(spec)) throw a.forbidden("a mirror pod may not reference secrets");
            for (JsonNode v : spec.path("volumes")) {
                for (JsonNode source : v.path("projected").path("sources")) {
                    if (source.has("serviceAccountToken")) {
                        throw a.forbidden("a mirror pod may not use ServiceAccountToken volume projections");
                    }
                }
            }
            return;
        }
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            throw a.forbidden("no service account specified for pod " + a.namespace() + "/"
                    + pod.path("metadata").path("name").asText(""));
        }
        serviceAccount(a, name);
    }

    private static boolean isMirror(ObjectNode pod) {
        return pod.path("metadata").path("annotations").has(MIRROR_ANNOTATION);
    }

    private static ObjectNode spec(ObjectNode pod) {
        return pod.get("spec") instanceof ObjectNode s ? s : pod.putObject("spec");
    }

    /** The pod's service account, or null when existence is not checked; 403 when it does not exist. */
    private ObjectNode serviceAccount(AdmissionAttributes a, String name) {
        if (lookups == null) return null;
        ObjectNode serviceAccount = lookups.serviceAccount(a.namespace(), name);
        if (serviceAccount == null && name.equals(DEFAULT_SERVICE_ACCOUNT)) serviceAccount = awaitDefault(a.namespace());
        if (serviceAccount == null) {
            throw a.forbidden("error looking up service account " + a.namespace() + "/" + name + ": serviceaccount "
                    + GoFormat.quote(name) + " not found");
        }
        return serviceAccount;
    }

    /** The namespace's {@code default} service account once it appears within the wait, else null. */
    private ObjectNode awaitDefault(String namespace) {
        if (!defaultWait.isZero()) Waiting.check();
        long deadline = System.nanoTime() + defaultWait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            ObjectNode serviceAccount = lookups.serviceAccount(namespace, DEFAULT_SERVICE_ACCOUNT);
            if (serviceAccount != null) return serviceAccount;
        }
        return null;
    }

    /** The pod's automountServiceAccountToken wins, then the service account's, else true. */
    private static boolean automount(ObjectNode serviceAccount, ObjectNode spec) {
        JsonNode pod = spec.get("automountServiceAccountToken");
        if (pod != null && pod.isBoolean()) return pod.asBoolean();
        JsonNode sa = serviceAccount == null ? null : serviceAccount.get("automountServiceAccountToken");
        if (sa != null && sa.isBoolean()) return sa.asBoolean();
        return true;
    }

    /**
     * Mounts the token volume in every init and app container that mounts nothing at {@value #MOUNT_PATH}, adding
     * the volume (reusing a {@code kube-api-access-} one the pod has) when some container needed it.
     */
    private void mountToken(ObjectNode spec) {
        String volumeName = null;
        for (JsonNode v : spec.path("volumes")) {
            if (v.path("name").asText("").startsWith(TOKEN_VOLUME_PREFIX)) {
                volumeName = v.path("name").asText();
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (volumeName == null) volumeName = NameGenerator.generate(TOKEN_VOLUME_PREFIX, random);
        boolean needed = false;
        for (ObjectNode c : containers(spec)) {
            boolean mounted = false;
            for (JsonNode m : c.path("volumeMounts")) {
                if (m.path("mountPath").asText("").equals(MOUNT_PATH)) mounted = true;
            }
            if (mounted) continue;
            ArrayNode mounts = c.get("volumeMounts") instanceof ArrayNode m ? m : c.putArray("volumeMounts");
            mounts.addObject().put("mountPath", MOUNT_PATH).put("name", volumeName).put("readOnly", true);
            needed = true;
        }
        if (!hasVolume && needed) {
            ArrayNode volumes = spec.get("volumes") instanceof ArrayNode v ? v : spec.putArray("volumes");
            volumes.add(tokenVolume(volumeName));
        }
    }

    private static List<ObjectNode> containers(ObjectNode spec) {
        List<ObjectNode> all = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) if (c instanceof ObjectNode o) all.add(o);
        }
        return all;
    }

    /** The projected volume (TokenVolumeSource): a bound token, the cluster CA, the namespace. */
    static ObjectNode tokenVolume(String name) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("name", name);
        ObjectNode projected = v.putObject("projected");
        projected.put("defaultMode", DEFAULT_MODE);
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
                .put("path", "token");
        ObjectNode ca = sources.addObject().putObject("configMap");
        ca.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        ca.put("name", "kube-root-ca.crt");
        ObjectNode item = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
        item.putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        item.put("path", "namespace");
        return v;
    }

    /** Whether the pod names a secret anywhere (podutil.VisitPodSecretNames over all containers). */
    private static boolean referencesSecrets(ObjectNode spec) {
        if (!spec.path("imagePullSecrets").isEmpty()) return true;
        for (JsonNode v : spec.path("volumes")) {
            if (v.has("secret")) return true;
            for (JsonNode source : v.path("projected").path("sources")) if (source.has("secret")) return true;
            for (String plugin : List.of("azureFile", "cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos", "csi")) {
                JsonNode p = v.path(plugin);
                if (p.has("secretRef") || p.has("secretName") || p.has("nodePublishSecretRef")) return true;
            }
        }
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode e : c.path("envFrom")) if (e.has("secretRef")) return true;
                for (JsonNode e : c.path("env")) if (e.path("valueFrom").has("secretKeyRef")) return true;
            }
        }
        return false;
    }
}
