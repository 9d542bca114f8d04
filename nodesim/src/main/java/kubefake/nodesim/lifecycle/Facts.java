package kubefake.nodesim.lifecycle;

import java.util.List;

/**
 * The facts a stage's selector and its messages may use. Yes-no facts are "true" or "false"; a fact that does not
 * apply (an exit code before any exit) is absent.
 */
public final class Facts {
    /** Every fact a selector may name; {@code pod.labels.<key>} and {@code pod.annotations.<key>} too. */
    public static final List<String> KNOWN = List.of(
            "pod.name", "pod.namespace", "pod.restartPolicy", "pod.hostNetwork", "pod.foundRunning", "pod.static",
            "node.name",
            "container.name", "container.init", "container.restartCount",
            "image", "image.reference", "image.exists", "image.present", "image.size", "pullPolicy",
            "exitCode", "restart", "backOff.pending");

    private Facts() {
    }

    public static boolean isKnown(String key) {
        return KNOWN.contains(key) || key.startsWith("pod.labels.") || key.startsWith("pod.annotations.");
    }
}
