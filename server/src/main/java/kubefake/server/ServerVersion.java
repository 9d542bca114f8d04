package kubefake.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

/**
 * The Kubernetes version kubefake reports at /version: the recorded 1.33 server's, field for field. Its minor decides which kubectl the gcloud dispatcher on
 * the PATH runs (kubectl.1.33 here), and nodes report it as their kubelet version.
 */
public final class ServerVersion {
    public static final String GIT_VERSION = "v1.33.13";

    private ServerVersion() {
    }

    public static ObjectNode info() {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("major", "1").put("minor", "33")
                .put("emulationMajor", "1").put("emulationMinor", "33")
                .put("minCompatibilityMajor", "1").put("minCompatibilityMinor", "32")
                .put("gitVersion", GIT_VERSION)
                .put("gitCommit", "2df3632e823a813f64218dfc6f5c2e70d28ecdf0")
                .put("gitTreeState", "clean")
                .put("buildDate", "2026-11-22T13:45:15Z")
                .put("goVersion", "go1.24.4")
                .put("compiler", "gc")
                .put("platform", "linux/amd64");
        return v;
    }
}
