package kubefake.controllers.volume.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.common.Meta;
import kubefake.store.registry.Json;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The volumes of nfs-subdir-external-provisioner (the course's dynamic provisioner): a directory per claim on the NFS
 * export, {@code <namespace>-<claim>-<pv name>} or what the class's {@code pathPattern} parameter makes of the claim
 * ({@code ${.PVC.namespace}}, {@code ${.PVC.name}}, {@code ${.PVC.labels.KEY}}, {@code ${.PVC.annotations.KEY}}), with
 * the class's reclaim policy and mount options and the claim's access modes and requested size.
 */
public final class NfsSubdirVolumes implements VolumePlugin {
    /** The provisioner name the course's Deployment gives it (PROVISIONER_NAME). */
    public static final String PROVISIONER = "k8s-sigs.io/nfs-subdir-external-provisioner";
    private static final Pattern FIELD = Pattern.compile("\\$\\{\\.PVC\\.((labels|annotations)\\.)?([^}]*)}");

    private final String server;
    private final String path;

    /** @param server the NFS server (NFS_SERVER), @param path its exported directory (NFS_PATH) */
    public NfsSubdirVolumes(String server, String path) {
        this.server = server;
        this.path = path;
    }

    @Override
    public ObjectNode provision(JsonNode claim, JsonNode storageClass, String pvName) {
        String directory = Meta.namespace(claim) + "-" + Meta.name(claim) + "-" + pvName;
        String pattern = storageClass.path("parameters").path("pathPattern").asText("");
        if (!pattern.isEmpty()) {
            String custom = expand(pattern, claim);
            if (!custom.isEmpty()) directory = custom;
        }
        ObjectNode pv = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "PersistentVolume");
        pv.putObject("metadata").put("name", pvName);
        ObjectNode spec = pv.putObject("spec");
        spec.put("persistentVolumeReclaimPolicy", storageClass.path("reclaimPolicy").asText("Delete"));
        spec.set("accessModes", claim.path("spec").path("accessModes").deepCopy());
        if (storageClass.path("mountOptions").isArray()) spec.set("mountOptions", storageClass.get("mountOptions").deepCopy());
        spec.putObject("capacity").put("storage", claim.path("spec").path("resources").path("requests").path("storage").asText());
        spec.putObject("nfs").put("server", server).put("path", join(path, directory));
        return pv;
    }

    /** {@code metadata.stringParser}: each ${.PVC.x} replaced by the claim's field, label or annotation ("" if none). */
    static String expand(String pattern, JsonNode claim) {
        Matcher m = FIELD.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if ("labels".equals(m.group(2))) value = Meta.labels(claim).getOrDefault(m.group(3), "");
            else if ("annotations".equals(m.group(2))) value = Meta.annotations(claim).getOrDefault(m.group(3), "");
            else if ("name".equals(m.group(3))) value = Meta.name(claim);
            else if ("namespace".equals(m.group(3))) value = Meta.namespace(claim);
            else value = "";
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code filepath.Join}: one slash between the parts, none at the end. */
    private static String join(String base, String child) {
        String joined = (base + "/" + child).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
