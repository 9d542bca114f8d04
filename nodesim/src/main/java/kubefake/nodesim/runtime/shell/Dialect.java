package kubefake.nodesim.runtime.shell;

/**
 * Which shell the image has, for the words of its messages: BusyBox's ash (busybox, alpine), dash (Debian's sh) and
 * bash. They differ in where the line number goes and how a syntax error reads:
 * <pre>
 * ash:  sh: foo: not found                  sh: syntax error: unexpected "done"
 * dash: sh: 1: foo: not found               sh: 1: Syntax error: "done" unexpected
 * bash: bash: line 1: foo: command not found  bash: -c: line 1: syntax error near unexpected token `done'
 * </pre>
 * ash names the line only when running a script file ({@code x.sh: line 3: foo: not found}) or in a builtin's
 * message when not interactive; bash at a terminal names none.
 */
public enum Dialect {
    ASH, DASH, BASH;

    /** The shell {@code name} (sh, bash, dash, ash, a path to one) is in an image with bash (Debian's) or without (BusyBox). */
    public static Dialect of(String name, boolean debian) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (base.equals("bash")) return BASH;
        return debian ? DASH : ASH;
    }

    /**
     * The start of a message about line {@code line}: {@code name} is the shell's name ({@code $0}: sh, /bin/sh, or
     * the script file it runs), {@code file} whether it runs a file, {@code builtin} the builtin that fails, or null.
     */
    String prefix(String name, boolean file, boolean interactive, int line, String builtin) {
        StringBuilder b = new StringBuilder(name).append(": ");
        switch (this) {
            case ASH -> {
                if (builtin != null) b.append(builtin).append(": ");
                if ((file || builtin != null) && !interactive) b.append("line ").append(line).append(": ");
            }
            case DASH -> {
                b.append(line).append(": ");
                if (builtin != null) b.append(builtin).append(": ");
            }
            case BASH -> {
                if (!interactive) b.append("line ").append(line).append(": ");
                if (builtin != null) b.append(builtin).append(": ");
            }
        }
        return b.toString();
    }

    String notFound(String name, boolean file, boolean interactive, int line, String command) {
        return prefix(name, file, interactive, line, null) + command + (this == BASH ? ": command not found\n" : ": not found\n");
    }

    /** What the shell prints for a syntax error (bash: two lines, the second quoting the line when it knows it). */
    String syntaxError(String name, boolean file, boolean interactive, SyntaxError e, String sourceLine) {
        return switch (this) {
            case ASH -> name + ": " + (file && !interactive ? "line " + e.line + ": " : "") + "syntax error: " + ashText(e) + "\n";
            case DASH -> name + ": " + e.line + ": Syntax error: " + dashText(e) + "\n";
            case BASH -> bashText(name, file, interactive, e, sourceLine);
        };
    }

    private static String ashText(SyntaxError e) {
        return switch (e.kind) {
            case UNTERMINATED_QUOTE -> "unterminated quoted string";
            case BAD_SUBSTITUTION -> "bad substitution";
            case BAD_FOR_VARIABLE -> "bad for loop variable";
            case UNEXPECTED -> "unexpected " + ashToken(e.token, e.word)
                    + (e.expecting == null ? "" : " (expecting " + ashToken(e.expecting, false) + ")");
        };
    }

    private static String ashToken(String token, boolean word) {
        if (token == null) return "end of file";
        if (token.equals("\n")) return "newline";
        if (word) return "word";
        return "\"" + token + "\"";
    }

    private static String dashText(SyntaxError e) {
        return switch (e.kind) {
            case UNTERMINATED_QUOTE -> "Unterminated quoted string";
            case BAD_SUBSTITUTION -> "Bad substitution";
            case BAD_FOR_VARIABLE -> "Bad for loop variable";
            case UNEXPECTED -> ashToken(e.token, e.word) + " unexpected"
                    + (e.expecting == null ? "" : " (expecting " + ashToken(e.expecting, false) + ")");
        };
    }

    private static String bashText(String name, boolean file, boolean interactive, SyntaxError e, String sourceLine) {
        String where = name + ": " + (file || interactive ? "" : "-c: ")
                + (interactive ? "" : "line " + e.line + ": ");
        return switch (e.kind) {
            case UNTERMINATED_QUOTE -> where + "unexpected EOF while looking for matching `" + e.token + "'\n";
            case BAD_SUBSTITUTION -> where + "bad substitution\n";
            case BAD_FOR_VARIABLE, UNEXPECTED -> e.token == null ? where + "syntax error: unexpected end of file\n"
                    : where + "syntax error near unexpected token `" + (e.token.equals("\n") ? "newline" : e.token) + "'\n"
                    + (sourceLine == null ? "" : where + "`" + sourceLine + "'\n");
        };
    }
}
