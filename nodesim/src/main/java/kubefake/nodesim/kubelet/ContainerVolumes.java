package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.runtime.ContainerFiles;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The volumes the kubelet mounts into a container, as files under each {@code volumeMount}'s path: ConfigMap and
 * Secret keys (all, or the {@code items} named, with their modes), the downward API, projected volumes (the
 * {@code kube-api-access-*} one every pod gets: a service account token from the API's TokenRequest bound to the pod,
 * the cluster CA from {@code kube-root-ca.crt}, the namespace), and an empty directory for every other kind
 * (emptyDir, hostPath, persistentVolumeClaim ...). {@code subPath} mounts one entry of the volume.
 */
public final class ContainerVolumes {
    private static final int DEFAULT_MODE = 0644;
    /** The kubelet's default for a projected token without expirationSeconds (the API's minimum is 10 minutes). */
    private static final long DEFAULT_TOKEN_SECONDS = 3600;

    private final Registry registry;
    private final TokenRequests tokens;

    public ContainerVolumes(Registry registry, TokenRequests tokens) {
        this.registry = registry;
        this.tokens = tokens;
    }

    /** Writes the volumes {@code container} (its spec in {@code pod}) mounts into its file system. */
    public void mount(ContainerFiles files, JsonNode pod, JsonNode container, Instant now) {
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        for (JsonNode v : pod.path("spec").path("volumes")) volumes.put(v.path("name").asText(), v);
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volumes.get(mount.path("name").asText());
            String path = mount.path("mountPath").asText("");
            if (volume == null || path.isEmpty()) continue;
            Map<String, Content> content = contents(pod, container, volume, now);
            String subPath = mount.path("subPath").asText("");
            files.mkdirs(path, now);
            if (subPath.isEmpty()) {
                content.forEach((rel, c) -> files.writeFile(path + "/" + rel, c.bytes(), c.mode(), now));
                continue;
            }
            Content single = content.get(subPath);
            if (single != null) {
                // a file's subPath is mounted as that file
                files.remove(path);
                files.writeFile(path, single.bytes(), single.mode(), now);
            } else {
                String prefix = subPath + "/";
                content.forEach((rel, c) -> {
                    if (rel.startsWith(prefix)) files.writeFile(path + "/" + rel.substring(prefix.length()), c.bytes(), c.mode(), now);
                });
            }
        }
    }

    /** A file of a volume: its bytes and mode. */
    private record Content(byte[] bytes, int mode) {
        static Content text(String s, int mode) {
            return new Content(s.getBytes(StandardCharsets.UTF_8), mode);
        }
    }

    /** The files of one volume by their path inside it; empty for a volume that starts empty. */
    private Map<String, Content> contents(JsonNode pod, JsonNode container, JsonNode volume, Instant now) {
        String namespace = pod.path("metadata").path("namespace").asText();
        Map<String, Content> out = new LinkedHashMap<>();
        if (volume.has("configMap")) {
            JsonNode src = volume.path("configMap");
            keys(out, ConfigData.configMap(registry, namespace, src.path("name").asText()), src, mode(src, DEFAULT_MODE));
        } else if (volume.has("secret")) {
            JsonNode src = volume.path("secret");
            keys(out, ConfigData.secret(registry, namespace, src.path("secretName").asText()), src, mode(src, DEFAULT_MODE));
        } else if (volume.has("downwardAPI")) {
            JsonNode src = volume.path("downwardAPI");
            downward(out, pod, container, src, mode(src, DEFAULT_MODE));
        } else if (volume.has("projected")) {
            JsonNode projected = volume.path("projected");
            int defaultMode = mode(projected, DEFAULT_MODE);
            for (JsonNode source : projected.path("sources")) {
                if (source.has("configMap")) {
                    JsonNode src = source.path("configMap");
                    keys(out, ConfigData.configMap(registry, namespace, src.path("name").asText()), src, defaultMode);
                } else if (source.has("secret")) {
                    JsonNode src = source.path("secret");
                    keys(out, ConfigData.secret(registry, namespace, src.path("name").asText()), src, defaultMode);
                } else if (source.has("downwardAPI")) {
                    downward(out, pod, container, source.path("downwardAPI"), defaultMode);
                } else if (source.has("serviceAccountToken")) {
                    JsonNode src = source.path("serviceAccountToken");
                    String token = token(pod, src);
                    if (token != null) out.put(src.path("path").asText("token"), Content.text(token, defaultMode));
                }
            }
        }
        return out;
    }

    private static int mode(JsonNode source, int fallback) {
        return source.path("defaultMode").isInt() ? source.path("defaultMode").asInt() : fallback;
    }

    /** The keys of a ConfigMap or Secret (as bytes), all of them or the {@code items} listed. */
    private static void keys(Map<String, Content> out, Map<String, byte[]> data, JsonNode source, int defaultMode) {
        if (data == null) return;
        JsonNode items = source.path("items");
        if (items.isEmpty()) {
            data.forEach((k, v) -> out.put(k, new Content(v, defaultMode)));
            return;
        }
        for (JsonNode item : items) {
            byte[] v = data.get(item.path("key").asText());
            if (v == null) continue;
            out.put(item.path("path").asText(), new Content(v, item.path("mode").isInt() ? item.path("mode").asInt() : defaultMode));
        }
    }

    private void downward(Map<String, Content> out, JsonNode pod, JsonNode container, JsonNode source, int defaultMode) {
        for (JsonNode item : source.path("items")) {
            String value = null;
            if (item.has("fieldRef")) {
                value = DownwardApi.field(pod, item.path("fieldRef").path("fieldPath").asText());
            } else if (item.has("resourceFieldRef")) {
                JsonNode ref = item.path("resourceFieldRef");
                JsonNode target = containerNamed(pod, ref.path("containerName").asText(""), container);
                value = DownwardApi.resource(target, ref, DownwardApi.nodeAllocatable(registry, pod));
            }
            if (value == null) continue;
            out.put(item.path("path").asText(), Content.text(value, item.path("mode").isInt() ? item.path("mode").asInt() : defaultMode));
        }
    }

    private static JsonNode containerNamed(JsonNode pod, String name, JsonNode fallback) {
        if (name.isEmpty()) return fallback;
        for (String field : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : pod.path("spec").path(field)) if (c.path("name").asText().equals(name)) return c;
        }
        return fallback;
    }

    /** A token for the pod's service account, bound to the pod, as the kubelet asks the API for one. */
    private String token(JsonNode pod, JsonNode source) {
        JsonNode meta = pod.path("metadata");
        String serviceAccount = pod.path("spec").path("serviceAccountName").asText("default");
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
        ObjectNode spec = request.putObject("spec");
        if (!source.path("audience").asText("").isEmpty()) spec.putArray("audiences").add(source.path("audience").asText());
        spec.put("expirationSeconds", source.path("expirationSeconds").asLong(DEFAULT_TOKEN_SECONDS));
        spec.putObject("boundObjectRef").put("kind", "Pod").put("apiVersion", "v1")
                .put("name", meta.path("name").asText()).put("uid", meta.path("uid").asText());
        try {
            ObjectNode answer = tokens.create(meta.path("namespace").asText(), serviceAccount, request);
            return answer == null ? null : answer.path("status").path("token").asText(null);
        } catch (RuntimeException e) {
            return null; // the service account is gone: the kubelet would fail to start the container
        }
    }
}
