package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): a new pod that does not tolerate the
 * {@code not-ready} and {@code unreachable} NoExecute taints tolerates each for 300 s, so its node's failure evicts
 * it five minutes later.
 */
public final class DefaultTolerationSeconds implements MutatingPlugin {
    /** How long pods tolerate a not-ready or unreachable node by default (--default-*-toleration-seconds). */
    public static final long SECONDS = 300;
    private static final List<String> KEYS = List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

    @Override
    public String name() {
        return "DefaultTolerationSeconds";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        ObjectNode spec = a.createdPodSpec();
        if (spec == null) return;
        for (String key : KEYS) {
            if (tolerates(spec.path("tolerations"), key)) continue;
            ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode t ? t : spec.putArray("tolerations");
            tolerations.addObject().put("effect", "NoExecute").put("key", key).put("operator", "Exists")
                    .put("tolerationSeconds", (int) SECONDS);
        }
    }

    /** A toleration of the key's NoExecute taint: that key or every key, NoExecute or every effect. */
    private static boolean tolerates(JsonNode tolerations, String key) {
        for (JsonNode t : tolerations) {
            String tKey = t.path("key").asText("");
            String effect = t.path("effect").asText("");
            boolean exists = t.path("operator").asText("").equals("Exists");
            if ((tKey.isEmpty() && exists) || (tKey.equals(key) && (effect.isEmpty() || effect.equals("NoExecute")))) {
                return true;
            }
        }
        return false;
    }
}
