package kubefake.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

/**
 * The Kubernetes version kubefake reports at /version. Its minor decides which kubectl the gcloud dispatcher on
 * the PATH runs (kubectl.1.33 here), and nodes report it as their kubelet version.
 */
public final class ServerVersion {
    public static final String GIT_VERSION = "v1.33.1";

    private ServerVersion() {
    }

    public static ObjectNode info() {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("major", "1").put("minor", "33")
                .put("emulationMajor", "1").put("emulationMinor", "33")
                .put("minCompatibilityMajor", "1").put("minCompatibilityMinor", "32")
                .put("gitVersion", GIT_VERSION)
                .put("gitCommit", "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828")
                .put("gitTreeState", "clean")
                .put("buildDate", "2025-05-15T08:19:10Z")
                .put("goVersion", "go1.24.2")
                .put("compiler", "gc")
                .put("platform", "linux/amd64");
        return v;
    }
}
