package kubefake.server.api;

import kubefake.server.http.Reply;

import java.util.List;

/**
 * /healthz, /livez and /readyz: "ok", the ?verbose list of checks, and /readyz/CHECK for one check. kubefake's checks
 * are few: the server answers, its store is up, and bootstrap has run.
 */
final class HealthChecks {
    private static final List<String> LIVE = List.of("ping", "log", "etcd", "poststarthook/bootstrap-controller");
    private static final List<String> READY = List.of("ping", "log", "etcd", "etcd-readiness", "informer-sync",
            "poststarthook/bootstrap-controller", "shutdown");

    private HealthChecks() {
    }

    /** The answer for a health path, or null when the path is not one. */
    static Reply answer(String path, boolean verbose) {
        String[] parts = path.substring(1).split("/", 2);
        String endpoint = parts[0];
        List<String> checks = switch (endpoint) {
            case "healthz", "livez" -> LIVE;
            case "readyz" -> READY;
            default -> null;
        };
        if (checks == null) return null;
        if (parts.length == 2 && !parts[1].isEmpty()) {
            if (!checks.contains(parts[1])) return Reply.text(404, "404 page not found\n");
            return Reply.text(200, "ok");
        }
        if (!verbose) return Reply.text(200, "ok");
        StringBuilder sb = new StringBuilder();
        for (String c : checks) sb.append("[+]").append(c).append(" ok\n");
        sb.append(endpoint).append(" check passed\n");
        return Reply.text(200, sb.toString());
    }
}
