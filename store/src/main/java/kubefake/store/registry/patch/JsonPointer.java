package kubefake.store.registry.patch;

/** RFC 6901 reference tokens: {@code ~1} stands for {@code /} and {@code ~0} for {@code ~}. */
final class JsonPointer {

    private JsonPointer() {
    }

    /** Decodes one reference token in a single left-to-right pass, so {@code ~01} becomes {@code ~1}. */
    static String unescape(String token) {
        if (token.indexOf('~') < 0) {
            return token;
        }
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '~' && i + 1 < token.length() && (token.charAt(i + 1) == '0' || token.charAt(i + 1) == '1')) {
                out.append(token.charAt(i + 1) == '0' ? '~' : '/');
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Encodes a field name as a reference token. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
