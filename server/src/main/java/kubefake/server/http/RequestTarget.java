package kubefake.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request line's target read as Go's {@code net/http} reads it ({@code url.ParseRequestURI}, then
 * {@code URL.Query()}): the path is percent-decoded and a malformed escape in it makes the request unreadable
 * (the server answers a plain {@code 400 Bad Request}); the query is split on {@code &} and each pair decoded
 * with {@code +} as a space, and a pair that cannot be decoded (a bad escape, a {@code ;}) is dropped while the
 * rest is kept, as {@code url.ParseQuery} does and {@code URL.Query()} ignores its error.
 */
public record RequestTarget(String path, Map<String, List<String>> query) {

    /** A target Go's {@code url.ParseRequestURI} refuses. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    public static RequestTarget parse(String target) throws MalformedException {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < ' ' || c == 0x7f) throw new MalformedException("net/url: invalid control character in URL");
        }
        if (target.isEmpty()) throw new MalformedException("empty url");
        if (target.equals("*")) return new RequestTarget("*", Map.of());
        String rest = withoutSchemeAndAuthority(target);
        String rawQuery = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            rawQuery = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (!rest.isEmpty() && !rest.startsWith("/")) throw new MalformedException("invalid URI for request");
        String path = unescape(rest, false);
        if (path == null) throw new MalformedException("invalid URL escape");
        return new RequestTarget(path, parseQuery(rawQuery));
    }

    /** An absolute-form target ({@code https://host/path}) without its scheme and authority. */
    private static String withoutSchemeAndAuthority(String target) throws MalformedException {
        if (target.startsWith("/")) return target;
        int colon = -1;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (Character.isLetter(c) && c < 0x80) continue;
            if (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.')) continue;
            if (c == ':' && i > 0) colon = i;
            break;
        }
        if (colon < 0) throw new MalformedException("invalid URI for request");
        String rest = target.substring(colon + 1);
        if (!rest.startsWith("//")) throw new MalformedException("invalid URI for request");
        int end = 2;
        while (end < rest.length() && rest.charAt(end) != '/' && rest.charAt(end) != '?') end++;
        return rest.substring(end);
    }

    /** {@code url.ParseQuery}: pairs that fail to decode are left out. */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty() || pair.indexOf(';') >= 0) continue;
            int eq = pair.indexOf('=');
            String key = unescape(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = unescape(eq < 0 ? "" : pair.substring(eq + 1), true);
            if (key == null || value == null) continue;
            values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        }
        return values;
    }

    /** Percent-decoding as Go's {@code url.unescape}; null for a malformed escape. */
    static String unescape(String s, boolean queryComponent) {
        if (s.indexOf('%') < 0 && (!queryComponent || s.indexOf('+') < 0)) return s;
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%') {
                if (i + 2 >= raw.length) return null;
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi << 4 | lo);
                i += 2;
            } else if (b == '+' && queryComponent) {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
