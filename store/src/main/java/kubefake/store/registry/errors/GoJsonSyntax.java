package kubefake.store.registry.errors;

/**
 * The syntax check Go's {@code encoding/json} runs before it decodes anything ({@code checkValid}): the same
 * state machine as its scanner, so a malformed document gets the same error text as from the real server
 * ({@code invalid character 'x' looking for beginning of value}, {@code unexpected end of JSON input}, ...).
 */
public final class GoJsonSyntax {
    private final byte[] in;
    private int pos;

    private GoJsonSyntax(byte[] in) {
        this.in = in;
    }

    /** Go's error for a malformed document, or null when it is well-formed JSON. */
    public static String error(byte[] document) {
        GoJsonSyntax s = new GoJsonSyntax(document);
        try {
            s.skipSpace();
            s.value("looking for beginning of value");
            s.skipSpace();
            if (s.pos < s.in.length) throw s.invalid("after top-level value");
            return null;
        } catch (SyntaxError e) {
            return e.getMessage();
        }
    }

    private static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private void value(String context) throws SyntaxError {
        int c = next();
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    number(c);
                } else {
                    pos--;
                    throw invalid(context);
                }
            }
        }
    }

    private void object() throws SyntaxError {
        skipSpace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            if (next() != '"') {
                pos--;
                throw invalid("looking for beginning of object key string");
            }
            string();
            skipSpace();
            if (next() != ':') {
                pos--;
                throw invalid("after object key");
            }
            skipSpace();
            value("looking for beginning of value");
            skipSpace();
            int c = next();
            if (c == '}') return;
            if (c != ',') {
                pos--;
                throw invalid("after object key:value pair");
            }
            skipSpace();
        }
    }

    private void array() throws SyntaxError {
        skipSpace();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            value("looking for beginning of value");
            skipSpace();
            int c = next();
            if (c == ']') return;
            if (c != ',') {
                pos--;
                throw invalid("after array element");
            }
            skipSpace();
        }
    }

    private void string() throws SyntaxError {
        while (true) {
            int c = next();
            if (c == '"') return;
            if (c == '\\') {
                int e = next();
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        int h = next();
                        if (Character.digit(h, 16) < 0) {
                            pos--;
                            throw invalid("in \\u hexadecimal character escape");
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    pos--;
                    throw invalid("in string escape code");
                }
            } else if (c < 0x20) {
                pos--;
                throw invalid("in string literal");
            }
        }
    }

    private void number(int first) throws SyntaxError {
        int c = first;
        if (c == '-') {
            c = next();
            if (c < '0' || c > '9') {
                pos--;
                throw invalid("in numeric literal");
            }
        }
        if (c != '0') {
            while (isDigit(peek())) pos++;
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(next())) {
                pos--;
                throw invalid("after decimal point in numeric literal");
            }
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(next())) {
                pos--;
                throw invalid("in exponent of numeric literal");
            }
            while (isDigit(peek())) pos++;
        }
    }

    private void literal(String word) throws SyntaxError {
        for (int i = 1; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                pos--;
                throw invalid("in literal " + word + " (expecting '" + word.charAt(i) + "')");
            }
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private void skipSpace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) pos++;
    }

    private int peek() {
        return pos < in.length ? in[pos] & 0xff : -1;
    }

    /** The next byte; the end of input ends the check with Go's {@code unexpected end of JSON input}. */
    private int next() throws SyntaxError {
        if (pos >= in.length) throw new SyntaxError("unexpected end of JSON input");
        return in[pos++] & 0xff;
    }

    /** {@code invalid character 'c' <context>} for the byte at the current position. */
    private SyntaxError invalid(String context) {
        return new SyntaxError("invalid character " + quoteChar(in[pos] & 0xff) + " " + context);
    }

    /** Go's {@code quoteChar}: the byte as a rune, single-quoted with strconv.Quote's escapes. */
    private static String quoteChar(int c) {
        if (c == '\'') return "'\\''";
        if (c == '"') return "'\"'";
        String q = GoFormat.quote(String.valueOf((char) c));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }
}
