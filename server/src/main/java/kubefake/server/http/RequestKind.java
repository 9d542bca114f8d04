package kubefake.server.http;

/**
 * What the serving limits need to know of a request before it runs (kube-apiserver decides it from the RequestInfo):
 * whether it counts against the mutating or the read-only in-flight limit, is exempt from both, or is long-running.
 */
public enum RequestKind {
    /** get, list (and watch, but a watch is long-running): counted against --max-requests-inflight. */
    READ_ONLY,
    /** Every other verb: counted against --max-mutating-requests-inflight. */
    MUTATING,
    /** Health probes (/healthz, /livez, /readyz): never refused for load, as APF's exempt "probes" flow schema. */
    EXEMPT,
    /**
     * A stream that lives as long as its client wants (watch, and exec, attach, port-forward, logs, proxy): outside the
     * in-flight limits and the request timeout, bounded by its own rules.
     */
    LONG_RUNNING;

    /** READ_ONLY for kube-apiserver's non-mutating verbs (get, list, watch), MUTATING for the rest. */
    public static RequestKind ofVerb(String verb) {
        return switch (verb) {
            case "get", "list", "watch" -> READ_ONLY;
            default -> MUTATING;
        };
    }
}
