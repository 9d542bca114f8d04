package kubefake.server.api;

import io.netty.handler.codec.http.HttpMethod;
import kubefake.server.http.RequestKind;

import java.util.Locale;
import java.util.Set;

/**
 * What kind of request a route serves, as kube-apiserver decides it from the RequestInfo. Long-running (its
 * LongRunningRequestCheck): the watch and proxy verbs and the attach, exec, proxy, log and portforward subresources;
 * a handler that streams for longer than a request may take is declared here by its verb or subresource, as the real
 * server declares them in one place. Exempt from the in-flight limits: GET of /healthz, /livez and /readyz (APF's
 * "probes" flow schema). The rest is read-only or mutating by verb.
 */
final class RequestKinds {
    private static final Set<String> LONG_RUNNING_VERBS = Set.of("watch", "proxy");
    private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("attach", "exec", "proxy", "log", "portforward");
    private static final Set<String> PROBES = Set.of("/healthz", "/livez", "/readyz");

    private RequestKinds() {
    }

    static RequestKind kind(RequestInfo info) {
        if (LONG_RUNNING_VERBS.contains(info.verb()) || LONG_RUNNING_SUBRESOURCES.contains(info.subresource())) {
            return RequestKind.LONG_RUNNING;
        }
        return RequestKind.ofVerb(info.verb());
    }

    /** A path outside the resource API: its verb is the lower-cased method, as in the real RequestInfo. */
    static RequestKind kindOfPath(HttpMethod method, String path) {
        String verb = method.name().toLowerCase(Locale.ROOT);
        if (verb.equals("get") && PROBES.contains(path)) return RequestKind.EXEMPT;
        // a node shell's command may wait as long as its curl does (a dropped connection's 130 s)
        if (NodeFaults.isShell(path)) return RequestKind.LONG_RUNNING;
        return RequestKind.ofVerb(verb);
    }
}
