package kubefake.nodesim.runtime.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The POSIX shell grammar (XCU 2.10) read into {@link Node}s: lists, and-or lists, pipelines, simple commands with
 * assignments and redirections (here-documents included), groups, subshells, if, for, while, until, case and function
 * definitions. Tokens are read on demand because what a token is depends on where the parser is (a reserved word only
 * at a command's start, a here-document's body after the next newline, {@code $(...)} parsed as a program).
 */
final class Parser {
    private static final Set<String> RESERVED = Set.of("if", "then", "else", "elif", "fi", "do", "done", "case", "esac",
            "while", "until", "for", "{", "}", "!", "in");
    /** Reserved words that end a list rather than start a command. */
    private static final Set<String> CLOSING = Set.of("then", "else", "elif", "fi", "do", "done", "esac", "}", "in");
    private static final String META = " \t\n;&|<>()";

    private enum Type { WORD, OP, REDIR, EOF }

    private record Token(Type type, String text, Word word, int fd, int line) {
        boolean isOp(String op) {
            return type == Type.OP && text.equals(op);
        }

        /** The reserved word this token is, where one is recognised, else null. */
        String keyword() {
            if (type != Type.WORD) return null;
            String p = word.plain();
            return p != null && RESERVED.contains(p) ? p : null;
        }
    }

    private record Heredoc(String delimiter, boolean quoted, boolean stripTabs, List<Word.Part> body) {
    }

    private final String src;
    private int pos;
    private int line;
    private Token peeked;
    private final List<Heredoc> heredocs = new ArrayList<>();

    private Parser(String src, int firstLine) {
        this.src = src;
        this.line = firstLine;
    }

    /** The program {@code text} is; its first line is numbered {@code firstLine}. */
    static Node parse(String text, int firstLine) {
        Parser p = new Parser(text, firstLine);
        Node n = p.list(false);
        Token t = p.peek();
        if (t.type != Type.EOF) throw p.unexpected(t, null);
        return n;
    }

    /** Text as a here-document's body reads: {@code $}, backticks and backslashes expand, nothing else. */
    static Word text(String text, int firstLine) {
        Parser p = new Parser(text, firstLine);
        List<Word.Part> parts = new ArrayList<>();
        p.quotedText(parts, true);
        return new Word(parts);
    }

    // ---------------------------------------------------------------- grammar

    /** Commands separated by {@code ;}, {@code &} or newlines, up to a token that cannot start one. */
    private Node list(boolean required) {
        List<Node> commands = new ArrayList<>();
        skipNewlines();
        while (startsCommand(peek())) {
            Node n = andOr();
            Token t = peek();
            boolean separated = true;
            if (t.isOp("&")) {
                next();
                n = new Node.Background(n);
            } else if (t.isOp(";")) {
                next();
            } else if (!t.isOp("\n")) {
                separated = false;
            }
            commands.add(n);
            skipNewlines();
            if (!separated) break;
        }
        if (required && commands.isEmpty()) throw unexpected(peek(), null);
        return commands.size() == 1 ? commands.get(0) : new Node.Sequence(commands);
    }

    private static boolean startsCommand(Token t) {
        if (t.type == Type.REDIR) return true;
        if (t.type == Type.OP) return t.text.equals("(");
        if (t.type != Type.WORD) return false;
        String k = t.keyword();
        return k == null || !CLOSING.contains(k);
    }

    private Node andOr() {
        Node left = pipeline();
        while (peek().isOp("&&") || peek().isOp("||")) {
            boolean and = next().text.equals("&&");
            skipNewlines();
            Node right = pipeline();
            left = and ? new Node.And(left, right) : new Node.Or(left, right);
        }
        return left;
    }

    private Node pipeline() {
        boolean not = false;
        if ("!".equals(peek().keyword())) {
            next();
            not = true;
        }
        List<Node> stages = new ArrayList<>();
        stages.add(command());
        while (peek().isOp("|")) {
            next();
            skipNewlines();
            stages.add(command());
        }
        Node n = stages.size() == 1 ? stages.get(0) : new Node.Pipeline(stages);
        return not ? new Node.Not(n) : n;
    }

    private Node command() {
        Token t = peek();
        int at = t.line;
        if (t.isOp("(")) {
            next();
            Node body = list(true);
            expectOp(")");
            return redirected(new Node.Subshell(body), at);
        }
        String k = t.keyword();
        if (k == null) return simple();
        return switch (k) {
            case "{" -> {
                next();
                Node body = list(true);
                expect("}");
                yield redirected(new Node.Group(body), at);
            }
            case "if" -> {
                next();
                yield redirected(ifBody(), at);
            }
            case "while", "until" -> {
                next();
                Node condition = list(true);
                expect("do");
                Node body = list(true);
                expect("done");
                yield redirected(new Node.Loop(condition, body, k.equals("until")), at);
            }
            case "for" -> redirected(forLoop(), at);
            case "case" -> redirected(caseCommand(), at);
            default -> throw unexpected(t, null);
        };
    }

    /** After {@code if} or {@code elif}: condition, then-part, and what follows up to {@code fi}. */
    private Node ifBody() {
        Node condition = list(true);
        expect("then");
        Node then = list(true);
        String k = peek().keyword();
        if ("elif".equals(k)) {
            next();
            return new Node.If(condition, then, ifBody());
        }
        Node otherwise = null;
        if ("else".equals(k)) {
            next();
            otherwise = list(true);
        }
        expect("fi");
        return new Node.If(condition, then, otherwise);
    }

    private Node forLoop() {
        next();
        Token name = next();
        String n = name.type == Type.WORD ? name.word.plain() : null;
        if (n == null || !validName(n)) {
            throw new SyntaxError(SyntaxError.Kind.BAD_FOR_VARIABLE, name.type == Type.EOF ? null : name.text,
                    name.type == Type.WORD, null, name.line);
        }
        List<Word> words = null;
        skipNewlines();
        if ("in".equals(peek().keyword())) {
            next();
            words = new ArrayList<>();
            while (peek().type == Type.WORD) words.add(next().word);
            Token sep = peek();
            if (!sep.isOp(";") && !sep.isOp("\n")) throw unexpected(sep, "do");
            next();
        } else if (peek().isOp(";")) {
            next();
        }
        skipNewlines();
        expect("do");
        Node body = list(true);
        expect("done");
        return new Node.For(n, words, body);
    }

    private Node caseCommand() {
        next();
        Token subject = next();
        if (subject.type != Type.WORD) throw unexpected(subject, null);
        skipNewlines();
        expect("in");
        skipNewlines();
        List<Node.Arm> arms = new ArrayList<>();
        while (!"esac".equals(peek().keyword())) {
            if (peek().isOp("(")) next();
            List<Word> patterns = new ArrayList<>();
            Token p = next();
            if (p.type != Type.WORD) throw unexpected(p, null);
            patterns.add(p.word);
            while (peek().isOp("|")) {
                next();
                p = next();
                if (p.type != Type.WORD) throw unexpected(p, null);
                patterns.add(p.word);
            }
            expectOp(")");
            Node body = list(false);
            arms.add(new Node.Arm(patterns, body));
            if (peek().isOp(";;")) {
                next();
                skipNewlines();
            } else if (!"esac".equals(peek().keyword())) {
                throw unexpected(peek(), "esac");
            }
        }
        next();
        return new Node.Case(subject.word, arms);
    }

    private Node redirected(Node command, int at) {
        List<Node.Redirect> redirects = new ArrayList<>();
        while (peek().type == Type.REDIR) redirects.add(redirect());
        return redirects.isEmpty() ? command : new Node.Redirected(command, redirects, at);
    }

    private Node simple() {
        List<Node.Assignment> assignments = new ArrayList<>();
        List<Word> words = new ArrayList<>();
        List<Node.Redirect> redirects = new ArrayList<>();
        int at = peek().line;
        while (true) {
            Token t = peek();
            if (t.type == Type.REDIR) {
                redirects.add(redirect());
                continue;
            }
            if (t.type != Type.WORD) break;
            next();
            if (words.isEmpty()) {
                Node.Assignment a = assignment(t.word);
                if (a != null) {
                    assignments.add(a);
                    continue;
                }
                String name = t.word.plain();
                if (assignments.isEmpty() && redirects.isEmpty() && name != null && validName(name) && peek().isOp("(")) {
                    next();
                    expectOp(")");
                    skipNewlines();
                    return new Node.Function(name, command());
                }
            }
            words.add(t.word);
        }
        if (assignments.isEmpty() && words.isEmpty() && redirects.isEmpty()) throw unexpected(peek(), null);
        return new Node.Simple(assignments, words, redirects, at);
    }

    private static Node.Assignment assignment(Word w) {
        if (w.parts().isEmpty() || !(w.parts().get(0) instanceof Word.Literal first) || first.quoted()) return null;
        int eq = first.text().indexOf('=');
        if (eq <= 0 || !validName(first.text().substring(0, eq))) return null;
        List<Word.Part> value = new ArrayList<>();
        if (eq + 1 < first.text().length()) value.add(new Word.Literal(first.text().substring(eq + 1), false));
        value.addAll(w.parts().subList(1, w.parts().size()));
        return new Node.Assignment(first.text().substring(0, eq), new Word(value));
    }

    static boolean validName(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) return false;
        }
        return s.chars().allMatch(c -> c < 128);
    }

    private Node.Redirect redirect() {
        Token op = next();
        Token target = next();
        if (target.type != Type.WORD) throw unexpected(target, null);
        int fd = op.fd >= 0 ? op.fd : op.text.startsWith("<") ? 0 : 1;
        if (op.text.startsWith("<<")) {
            boolean quoted = target.word.parts().stream().anyMatch(Word.Part::quoted);
            StringBuilder delimiter = new StringBuilder();
            for (Word.Part p : target.word.parts()) if (p instanceof Word.Literal l) delimiter.append(l.text());
            List<Word.Part> body = new ArrayList<>();
            heredocs.add(new Heredoc(delimiter.toString(), quoted, op.text.equals("<<-"), body));
            return new Node.Redirect(fd, "<<", new Word(body));
        }
        return new Node.Redirect(fd, op.text, target.word);
    }

    private void expect(String keyword) {
        Token t = peek();
        if (!keyword.equals(t.keyword())) throw unexpected(t, keyword);
        next();
    }

    private void expectOp(String op) {
        Token t = peek();
        if (!t.isOp(op)) throw unexpected(t, op);
        next();
    }

    private void skipNewlines() {
        while (peek().isOp("\n")) next();
    }

    private SyntaxError unexpected(Token t, String expecting) {
        if (t.type == Type.EOF) return new SyntaxError(null, false, expecting, t.line);
        return new SyntaxError(t.text, t.type == Type.WORD && t.keyword() == null, expecting, t.line);
    }

    // ---------------------------------------------------------------- tokens

    private Token peek() {
        if (peeked == null) peeked = lex();
        return peeked;
    }

    private Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    private Token lex() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else {
                break;
            }
        }
        int at = line;
        if (pos >= src.length()) return new Token(Type.EOF, null, null, -1, at);
        char c = src.charAt(pos);
        char n = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        switch (c) {
            case '\n' -> {
                pos++;
                line++;
                readHeredocs();
                return new Token(Type.OP, "\n", null, -1, at);
            }
            case ';', '&', '|' -> {
                String op = n == c ? "" + c + c : String.valueOf(c);
                pos += op.length();
                return new Token(Type.OP, op, null, -1, at);
            }
            case '(', ')' -> {
                pos++;
                return new Token(Type.OP, String.valueOf(c), null, -1, at);
            }
            default -> {
            }
        }
        int digits = pos;
        while (digits < src.length() && Character.isDigit(src.charAt(digits))) digits++;
        int fd = -1;
        int start = pos;
        if (digits > pos && digits < src.length() && (src.charAt(digits) == '<' || src.charAt(digits) == '>')) {
            fd = Integer.parseInt(src.substring(pos, Math.min(digits, pos + 4)));
            start = digits;
        }
        if (src.charAt(start) == '<' || src.charAt(start) == '>') {
            String op = null;
            for (String o : List.of("<<-", "<<", "<&", "<>", ">>", ">&", ">|", "<", ">")) {
                if (src.startsWith(o, start)) {
                    op = o;
                    break;
                }
            }
            pos = start + op.length();
            return new Token(Type.REDIR, op, null, fd, at);
        }
        Word w = word();
        return new Token(Type.WORD, src.substring(start, pos), w, -1, at);
    }

    private Word word() {
        List<Word.Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (META.indexOf(c) >= 0) break;
            if (c == '~' && pos == start && (pos + 1 == src.length() || src.charAt(pos + 1) == '/'
                    || META.indexOf(src.charAt(pos + 1)) >= 0)) {
                parts.add(new Word.Parameter("HOME", null, null, true));
                pos++;
                continue;
            }
            switch (c) {
                case '\\' -> {
                    if (pos + 1 >= src.length()) {
                        lit.append('\\');
                        pos++;
                    } else if (src.charAt(pos + 1) == '\n') {
                        pos += 2;
                        line++;
                    } else {
                        flush(lit, parts, false);
                        parts.add(new Word.Literal(String.valueOf(src.charAt(pos + 1)), true));
                        pos += 2;
                    }
                }
                case '\'' -> {
                    flush(lit, parts, false);
                    parts.add(new Word.Literal(singleQuoted(), true));
                }
                case '"' -> {
                    flush(lit, parts, false);
                    pos++;
                    quotedText(parts, false);
                }
                case '$' -> {
                    flush(lit, parts, false);
                    dollar(parts, false);
                }
                case '`' -> {
                    flush(lit, parts, false);
                    backtick(parts, false);
                }
                default -> {
                    lit.append(c);
                    pos++;
                }
            }
        }
        flush(lit, parts, false);
        return new Word(parts);
    }

    private static void flush(StringBuilder lit, List<Word.Part> parts, boolean quoted) {
        if (lit.isEmpty()) return;
        parts.add(new Word.Literal(lit.toString(), quoted));
        lit.setLength(0);
    }

    /** From an opening {@code '}: the text up to the closing one. */
    private String singleQuoted() {
        int end = src.indexOf('\'', pos + 1);
        if (end < 0) throw new SyntaxError(SyntaxError.Kind.UNTERMINATED_QUOTE, "'", false, null, line);
        String text = src.substring(pos + 1, end);
        line += (int) text.chars().filter(ch -> ch == '\n').count();
        pos = end + 1;
        return text;
    }

    /**
     * Double-quoted text after its opening quote, up to the closing one; or (toEnd) the whole rest of the text, as a
     * here-document's body: backslash escapes only {@code $ ` " \} and newline, expansions stay.
     */
    private void quotedText(List<Word.Part> parts, boolean toEnd) {
        StringBuilder lit = new StringBuilder();
        int before = parts.size();
        while (true) {
            if (pos >= src.length()) {
                if (toEnd) break;
                throw new SyntaxError(SyntaxError.Kind.UNTERMINATED_QUOTE, "\"", false, null, line);
            }
            char c = src.charAt(pos);
            if (c == '"' && !toEnd) {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < src.length() && ("$`\\\n" + (toEnd ? "" : "\"")).indexOf(src.charAt(pos + 1)) >= 0) {
                char n = src.charAt(pos + 1);
                if (n == '\n') line++;
                else lit.append(n);
                pos += 2;
                continue;
            }
            if (c == '$') {
                flush(lit, parts, true);
                dollar(parts, true);
                continue;
            }
            if (c == '`') {
                flush(lit, parts, true);
                backtick(parts, true);
                continue;
            }
            if (c == '\n') line++;
            lit.append(c);
            pos++;
        }
        if (!lit.isEmpty() || parts.size() == before) parts.add(new Word.Literal(lit.toString(), true));
    }

    private void dollar(List<Word.Part> parts, boolean quoted) {
        char n = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        if (n == '{') {
            pos += 2;
            braced(parts, quoted);
        } else if (n == '(' && pos + 2 < src.length() && src.charAt(pos + 2) == '(' && arithmeticEnd(pos + 3) >= 0) {
            int end = arithmeticEnd(pos + 3);
            String expression = src.substring(pos + 3, end);
            parts.add(new Word.Arithmetic(text(expression, line), quoted));
            pos = end + 2;
        } else if (n == '(') {
            pos += 2;
            Node body = list(false);
            Token t = peek();
            if (!t.isOp(")")) throw unexpected(t, ")");
            peeked = null;
            parts.add(new Word.Command(body, quoted));
        } else if (n != 0 && (Character.isLetter(n) || n == '_') && n < 128) {
            int end = pos + 1;
            while (end < src.length() && (Character.isLetterOrDigit(src.charAt(end)) || src.charAt(end) == '_') && src.charAt(end) < 128) end++;
            parts.add(new Word.Parameter(src.substring(pos + 1, end), null, null, quoted));
            pos = end;
        } else if (n != 0 && (Character.isDigit(n) || "@*#?$!-".indexOf(n) >= 0)) {
            parts.add(new Word.Parameter(String.valueOf(n), null, null, quoted));
            pos += 2;
        } else {
            parts.add(new Word.Literal("$", quoted));
            pos++;
        }
    }

    /** Where the {@code ))} closing an arithmetic expansion whose text starts at {@code from} is, or -1. */
    private int arithmeticEnd(int from) {
        int depth = 0;
        for (int i = from; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') {
                if (depth == 0) return i + 1 < src.length() && src.charAt(i + 1) == ')' ? i : -1;
                depth--;
            }
        }
        return -1;
    }

    /** After {@code ${}: the parameter, its operator and its word, up to the closing brace. */
    private void braced(List<Word.Part> parts, boolean quoted) {
        if (pos < src.length() && src.charAt(pos) == '#' && pos + 1 < src.length() && src.charAt(pos + 1) != '}') {
            pos++;
            String name = parameterName();
            if (name.isEmpty() || pos >= src.length() || src.charAt(pos) != '}') throw badSubstitution();
            pos++;
            parts.add(new Word.Parameter(name, "length", null, quoted));
            return;
        }
        String name = parameterName();
        if (name.isEmpty() || pos >= src.length()) throw badSubstitution();
        char c = src.charAt(pos);
        if (c == '}') {
            pos++;
            parts.add(new Word.Parameter(name, null, null, quoted));
            return;
        }
        char n = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        String op;
        if (c == ':' && "-=+?".indexOf(n) >= 0 && n != 0) op = "" + c + n;
        else if ("-=+?".indexOf(c) >= 0) op = String.valueOf(c);
        else if (c == '#' || c == '%') op = n == c ? "" + c + c : String.valueOf(c);
        else throw badSubstitution();
        pos += op.length();
        parts.add(new Word.Parameter(name, op, braceWord(quoted), quoted));
    }

    private SyntaxError badSubstitution() {
        return new SyntaxError(SyntaxError.Kind.BAD_SUBSTITUTION, null, false, null, line);
    }

    private String parameterName() {
        int start = pos;
        if (pos < src.length() && "@*#?$!-".indexOf(src.charAt(pos)) >= 0) {
            pos++;
            return src.substring(start, pos);
        }
        if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
            return src.substring(start, pos);
        }
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_') && src.charAt(pos) < 128) pos++;
        return src.substring(start, pos);
    }

    /**
     * The word of {@code ${name op word}}, up to the closing brace. Its unquoted text stays a pattern even inside double
     * quotes ({@code "${file%.*}"}); there single quotes are plain characters.
     */
    private Word braceWord(boolean quoted) {
        List<Word.Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw badSubstitution();
            char c = src.charAt(pos);
            if (c == '}') {
                pos++;
                break;
            }
            switch (c) {
                case '\\' -> {
                    flush(lit, parts, false);
                    if (pos + 1 < src.length()) parts.add(new Word.Literal(String.valueOf(src.charAt(pos + 1)), true));
                    pos += 2;
                }
                case '\'' -> {
                    if (quoted) {
                        lit.append(c);
                        pos++;
                    } else {
                        flush(lit, parts, false);
                        parts.add(new Word.Literal(singleQuoted(), true));
                    }
                }
                case '"' -> {
                    flush(lit, parts, false);
                    pos++;
                    quotedText(parts, false);
                }
                case '$' -> {
                    flush(lit, parts, false);
                    dollar(parts, quoted);
                }
                case '`' -> {
                    flush(lit, parts, false);
                    backtick(parts, quoted);
                }
                default -> {
                    if (c == '\n') line++;
                    lit.append(c);
                    pos++;
                }
            }
        }
        flush(lit, parts, false);
        return new Word(parts);
    }

    /** {@code `command`}: its text, backslashes before {@code ` \ $} removed, parsed as a program. */
    private void backtick(List<Word.Part> parts, boolean quoted) {
        StringBuilder text = new StringBuilder();
        int at = line;
        pos++;
        while (true) {
            if (pos >= src.length()) throw new SyntaxError(SyntaxError.Kind.UNTERMINATED_QUOTE, "`", false, null, line);
            char c = src.charAt(pos);
            if (c == '`') {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < src.length() && ("`\\$" + (quoted ? "\"" : "")).indexOf(src.charAt(pos + 1)) >= 0) {
                text.append(src.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (c == '\n') line++;
            text.append(c);
            pos++;
        }
        parts.add(new Word.Command(parse(text.toString(), at), quoted));
    }

    /** After a newline: the bodies of the here-documents its line started. */
    private void readHeredocs() {
        for (Heredoc h : heredocs) {
            StringBuilder body = new StringBuilder();
            int bodyLine = line;
            while (pos < src.length()) {
                int nl = src.indexOf('\n', pos);
                String l = src.substring(pos, nl < 0 ? src.length() : nl);
                pos = nl < 0 ? src.length() : nl + 1;
                line++;
                if (h.stripTabs) l = l.replaceFirst("^\t+", "");
                if (l.equals(h.delimiter)) break;
                body.append(l).append('\n');
            }
            if (h.quoted) h.body.add(new Word.Literal(body.toString(), true));
            else h.body.addAll(text(body.toString(), bodyLine).parts());
        }
        heredocs.clear();
    }
}
