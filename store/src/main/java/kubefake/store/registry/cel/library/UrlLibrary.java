package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static kubefake.store.registry.cel.library.Functions.error;
import static kubefake.store.registry.cel.library.Functions.fn;
import static kubefake.store.registry.cel.library.Functions.goQuote;

/**
 * Kubernetes' URL library (library/urls.go): {@code url('https://example.com:80/path?x=1')} and {@code isURL} accept
 * what Go's {@code url.ParseRequestURI} accepts (an absolute URL, or an absolute path); {@code getScheme},
 * {@code getHost}, {@code getHostname}, {@code getPort}, {@code getEscapedPath}, {@code getQuery} read it as Go's
 * {@code url.URL} does.
 */
final class UrlLibrary implements CelLibrary {
    static final CelType TYPE = OpaqueType.create("kubernetes.URL");

    /** A parsed URL: the parts Go's url.URL has that the library reads. */
    record Value(String raw, String scheme, String host, String path, String rawQuery) {
        String hostname() {
            String h = host;
            if (h.startsWith("[")) {
                int end = h.indexOf(']');
                return end < 0 ? h.substring(1) : h.substring(1, end);
            }
            int colon = h.lastIndexOf(':');
            return colon < 0 ? h : h.substring(0, colon);
        }

        String port() {
            int colon = host.lastIndexOf(':');
            if (colon < 0 || host.lastIndexOf(']') > colon) return "";
            return host.substring(colon + 1);
        }
    }

    /** A URL that Go's parser refuses, with its message ({@code parse "x": invalid URI for request}). */
    private static Functions.Invalid invalid(String url, String problem) {
        return new Functions.Invalid("parse " + goQuote(url) + ": " + problem);
    }

    @Override
    public List<CelFunctionDecl> declarations() {
        return List.of(
                fn("url", CelOverloadDecl.newGlobalOverload("string_to_url", TYPE, SimpleType.STRING)),
                fn("getScheme", CelOverloadDecl.newMemberOverload("url_get_scheme", SimpleType.STRING, TYPE)),
                fn("getHost", CelOverloadDecl.newMemberOverload("url_get_host", SimpleType.STRING, TYPE)),
                fn("getHostname", CelOverloadDecl.newMemberOverload("url_get_hostname", SimpleType.STRING, TYPE)),
                fn("getPort", CelOverloadDecl.newMemberOverload("url_get_port", SimpleType.STRING, TYPE)),
                fn("getEscapedPath", CelOverloadDecl.newMemberOverload("url_get_escaped_path", SimpleType.STRING, TYPE)),
                fn("getQuery", CelOverloadDecl.newMemberOverload("url_get_query",
                        MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)), TYPE)),
                fn("isURL", CelOverloadDecl.newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)));
    }

    @Override
    public List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_url", String.class, UrlLibrary::toUrl),
                CelFunctionBinding.from("url_get_scheme", Value.class, Value::scheme),
                CelFunctionBinding.from("url_get_host", Value.class, Value::host),
                CelFunctionBinding.from("url_get_hostname", Value.class, Value::hostname),
                CelFunctionBinding.from("url_get_port", Value.class, Value::port),
                CelFunctionBinding.from("url_get_escaped_path", Value.class, Value::path),
                CelFunctionBinding.from("url_get_query", Value.class, u -> query(u.rawQuery())),
                CelFunctionBinding.from("is_url_string", String.class, s -> Functions.parses(u -> parse(u, true), s)));
    }

    private static Value toUrl(String s) throws CelEvaluationException {
        try {
            parse(s, true);
            // parsed again as url.Parse does, which splits off a #fragment
            int hash = s.indexOf('#');
            return parse(hash < 0 ? s : s.substring(0, hash), false);
        } catch (Functions.Invalid e) {
            throw error("URL parse error during conversion from string: " + e.getMessage());
        }
    }

    /** Go's url.parse, as ParseRequestURI ({@code viaRequest}) or Parse (fragment already removed) calls it. */
    static Value parse(String s, boolean viaRequest) throws Functions.Invalid {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) throw invalid(s, "net/url: invalid control character in URL");
        }
        if (s.isEmpty() && viaRequest) throw invalid(s, "empty url");
        String scheme = "";
        String rest = s;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c) && c < 128) continue;
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) break;
                continue;
            }
            if (c == ':') {
                if (i == 0) throw invalid(s, "missing protocol scheme");
                scheme = s.substring(0, i).toLowerCase();
                rest = s.substring(i + 1);
            }
            break;
        }
        String rawQuery = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            rawQuery = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) return new Value(s, scheme, "", "", rawQuery); // opaque: mailto:x
            if (viaRequest) throw invalid(s, "invalid URI for request");
            int colon = rest.indexOf(':');
            int slash = rest.indexOf('/');
            if (colon >= 0 && (slash < 0 || colon < slash)) throw invalid(s, "first path segment in URL cannot contain colon");
        }
        String host = "";
        if ((!scheme.isEmpty() || !viaRequest && !rest.startsWith("///")) && rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            rest = slash < 0 ? "" : authority.substring(slash);
            authority = slash < 0 ? authority : authority.substring(0, slash);
            int at = authority.lastIndexOf('@');
            host = host(s, at < 0 ? authority : authority.substring(at + 1));
        }
        return new Value(s, scheme, host, rest, rawQuery);
    }

    /** Go's parseHost: a bracketed IPv6 literal, or a name, then an optional numeric port. */
    private static String host(String url, String host) throws Functions.Invalid {
        if (host.startsWith("[")) {
            int end = host.lastIndexOf(']');
            if (end < 0) throw invalid(url, "missing ']' in host");
            String port = host.substring(end + 1);
            if (!port.isEmpty() && !validPort(port)) throw invalid(url, "invalid port " + goQuote(port) + " after host");
            return host;
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && !validPort(host.substring(colon))) {
            throw invalid(url, "invalid port " + goQuote(host.substring(colon)) + " after host");
        }
        return host;
    }

    private static boolean validPort(String colonPort) {
        if (!colonPort.startsWith(":")) return false;
        for (int i = 1; i < colonPort.length(); i++) if (colonPort.charAt(i) < '0' || colonPort.charAt(i) > '9') return false;
        return true;
    }

    /** Go's url.ParseQuery, keeping what decodes: {@code a=1&a=2&b} as {a: [1, 2], b: [""]}. */
    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String part : raw.split("&", -1)) {
            if (part.isEmpty() || part.contains(";")) continue;
            int eq = part.indexOf('=');
            String k = unescape(eq < 0 ? part : part.substring(0, eq));
            String v = unescape(eq < 0 ? "" : part.substring(eq + 1));
            if (k == null || v == null) continue;
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                int end = i + Character.charCount(s.codePointAt(i));
                byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i = end - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

}
