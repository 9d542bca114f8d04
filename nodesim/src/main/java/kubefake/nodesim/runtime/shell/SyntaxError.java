package kubefake.nodesim.runtime.shell;

/**
 * A script the shell cannot parse. {@code token} is what was found: {@code null} at the end of the text,
 * {@code "\n"} for a newline, else the token's text ({@code word} tells a word from an operator or reserved word);
 * {@code expecting} is the reserved word that had to come, or null. A message of its own (an unterminated quote)
 * replaces the token's.
 */
final class SyntaxError extends RuntimeException {
    final String token;
    final boolean word;
    final String expecting;
    final int line;
    /** What the shells say instead of "unexpected ...", or null. */
    final Kind kind;

    enum Kind { UNEXPECTED, UNTERMINATED_QUOTE, BAD_SUBSTITUTION, BAD_FOR_VARIABLE }

    SyntaxError(String token, boolean word, String expecting, int line) {
        this(Kind.UNEXPECTED, token, word, expecting, line);
    }

    SyntaxError(Kind kind, String token, boolean word, String expecting, int line) {
        super(kind + " " + token + (expecting == null ? "" : " expecting " + expecting), null, false, false);
        this.kind = kind;
        this.token = token;
        this.word = word;
        this.expecting = expecting;
        this.line = line;
    }

    /** The text ended inside a construct: an interactive shell would read more lines. */
    boolean atEnd() {
        return kind == Kind.UNEXPECTED && token == null || kind == Kind.UNTERMINATED_QUOTE;
    }
}
