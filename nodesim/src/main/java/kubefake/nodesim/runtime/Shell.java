package kubefake.nodesim.runtime;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The few commands a container's command line uses in a course, run symbolically into a {@link Timeline}:
 * {@code sh -c "..."} scripts with {@code ;}, {@code &&}, {@code ||} and {@code while true; do ...; done} /
 * {@code for x in ...; do ...; done} loops, and the utilities {@code echo}, {@code printf}, {@code sleep} (seconds,
 * {@code 1m}, {@code infinity}), {@code exit}, {@code true}, {@code false}, {@code :}, {@code hostname},
 * {@code cat}, {@code tail -f}, {@code env}. A program the image's catalogue entry names runs as the catalogue says;
 * anything else is what a shell prints for a missing command ({@code sh: x: not found}, status 127).
 *
 * <p>The process has no input, so what it does is known at start. A shell running as PID 1 ignores SIGTERM and is
 * killed at the end of the grace period, as a real one is.
 */
final class Shell {
    private final Map<String, Behaviour> programs;
    private final String hostname;

    Shell(Map<String, Behaviour> programs, String hostname) {
        this.programs = programs;
        this.hostname = hostname;
    }

    /** What {@code argv} does when started as a container's process. */
    Timeline run(List<String> argv) {
        Timeline.Builder b = new Timeline.Builder();
        Outcome o = command(argv, b, true);
        if (o.forever != null) return o.forever;
        return b.exit(o.status, Behaviour.Termination.IGNORE);
    }

    /** How a command ended: its status, or (forever != null) it never ends. */
    private record Outcome(int status, boolean exited, Timeline forever) {
        static Outcome status(int s) {
            return new Outcome(s, false, null);
        }
    }

    /** Where the running command's standard output and error go: a stream, or null for /dev/null. */
    private Timeline.Stream stdoutTo = Timeline.Stream.STDOUT;
    private Timeline.Stream stderrTo = Timeline.Stream.STDERR;

    private Outcome command(List<String> words, Timeline.Builder b, boolean pid1) {
        List<String> argv = new ArrayList<>();
        Timeline.Stream out = stdoutTo;
        Timeline.Stream err = stderrTo;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case ">&2", "1>&2" -> stdoutTo = err;
                case "2>&1" -> stderrTo = stdoutTo;
                case ">/dev/null", "1>/dev/null" -> stdoutTo = null;
                case "2>/dev/null" -> stderrTo = null;
                case ">", "1>", ">>" -> { // to a file: not in the log
                    stdoutTo = null;
                    i++;
                }
                case "2>" -> {
                    stderrTo = null;
                    i++;
                }
                default -> argv.add(w);
            }
        }
        try {
            return run(argv, b, pid1);
        } finally {
            stdoutTo = out;
            stderrTo = err;
        }
    }

    private void out(Timeline.Builder b, String text) {
        if (stdoutTo != null) b.print(stdoutTo, text);
    }

    private void err(Timeline.Builder b, String text) {
        if (stderrTo != null) b.print(stderrTo, text);
    }

    private Outcome run(List<String> argv, Timeline.Builder b, boolean pid1) {
        if (argv.isEmpty()) return Outcome.status(0);
        String name = argv.get(0);
        String base = name.substring(name.lastIndexOf('/') + 1);
        List<String> args = argv.subList(1, argv.size());
        Behaviour program = programs.get(base);
        if (program != null) {
            Timeline t = program.timeline();
            t.output().forEach(line -> b.print(line.stream(), line.text()));
            b.serve(List.copyOf(t.ports()), t.answers());
            if (!t.exits()) return new Outcome(0, true, b.forever(pid1 ? t.onTerm() : Behaviour.Termination.IGNORE));
            b.sleep(t.exitAfter());
            return Outcome.status(t.exitCode());
        }
        switch (base) {
            case "sh", "bash", "ash", "dash", "zsh" -> {
                int c = args.indexOf("-c");
                if (c < 0 || c + 1 >= args.size()) return Outcome.status(0); // an interactive shell without a terminal: EOF, exits
                return script(args.get(c + 1), b);
            }
            case "echo" -> {
                List<String> words = new ArrayList<>(args);
                if (!words.isEmpty() && words.get(0).equals("-n")) words.remove(0);
                out(b, String.join(" ", words));
                return Outcome.status(0);
            }
            case "printf" -> {
                if (args.isEmpty()) return Outcome.status(1);
                String text = args.get(0).replace("\\n", "\n");
                for (String arg : args.subList(1, args.size())) text = text.replaceFirst("%[sd]", java.util.regex.Matcher.quoteReplacement(arg));
                for (String line : text.split("\n")) if (!line.isEmpty()) out(b, line);
                return Outcome.status(0);
            }
            case "sleep" -> {
                if (args.isEmpty()) {
                    err(b, "sleep: missing operand");
                    return Outcome.status(1);
                }
                Duration total = Duration.ZERO;
                for (String a : args) {
                    if (a.equals("infinity") || a.equals("inf")) return new Outcome(0, true, b.forever(Behaviour.Termination.IGNORE));
                    Duration d = sleepDuration(a);
                    if (d == null) {
                        err(b, "sleep: invalid number '" + a + "'");
                        return Outcome.status(1);
                    }
                    total = total.plus(d);
                }
                b.sleep(total);
                return Outcome.status(0);
            }
            case "exit" -> {
                int code = 0;
                if (!args.isEmpty()) {
                    try {
                        code = Integer.parseInt(args.get(0)) & 0xFF;
                    } catch (NumberFormatException e) {
                        code = 2;
                    }
                }
                return new Outcome(code, true, null);
            }
            case "true", ":" -> {
                return Outcome.status(0);
            }
            case "false" -> {
                return Outcome.status(1);
            }
            case "hostname" -> {
                out(b, hostname);
                return Outcome.status(0);
            }
            case "date" -> {
                out(b, Timeline.DATE);
                return Outcome.status(0);
            }
            case "cat", "env", "printenv", "ls", "pwd", "id", "wait", "trap", "set", "export" -> {
                return Outcome.status(0);
            }
            case "tail" -> {
                if (args.contains("-f") || args.contains("-F")) return new Outcome(0, true, b.forever(Behaviour.Termination.IGNORE));
                return Outcome.status(0);
            }
            default -> {
                err(b, "sh: " + name + ": not found");
                return Outcome.status(127);
            }
        }
    }

    /** {@code sleep}'s operand: a number of seconds, or with a suffix s, m, h or d. */
    private static Duration sleepDuration(String a) {
        String n = a;
        long unit = 1_000_000_000L;
        char last = a.isEmpty() ? ' ' : a.charAt(a.length() - 1);
        if ("smhd".indexOf(last) >= 0) {
            n = a.substring(0, a.length() - 1);
            unit = switch (last) {
                case 'm' -> 60_000_000_000L;
                case 'h' -> 3_600_000_000_000L;
                case 'd' -> 86_400_000_000_000L;
                default -> 1_000_000_000L;
            };
        }
        try {
            BigDecimal v = new BigDecimal(n);
            if (v.signum() < 0) return null;
            return Duration.ofNanos(v.multiply(BigDecimal.valueOf(unit)).longValue());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- scripts

    /** A script's statements run in order; the script's status is its last command's. */
    private Outcome script(String text, Timeline.Builder b) {
        List<List<String>> tokens;
        try {
            tokens = statements(words(text));
        } catch (IllegalArgumentException e) {
            b.print(Timeline.Stream.STDERR, "sh: syntax error: " + e.getMessage());
            return Outcome.status(2);
        }
        return run(tokens, 0, tokens.size(), b);
    }

    private Outcome run(List<List<String>> statements, int from, int to, Timeline.Builder b) {
        int status = 0;
        for (int i = from; i < to; i++) {
            List<String> s = statements.get(i);
            String head = s.isEmpty() ? "" : s.get(0);
            if (head.equals("while") || head.equals("until") || head.equals("for")) {
                int done = matchingDone(statements, i);
                Outcome o = loop(statements, i, done, b);
                if (o.forever != null || o.exited) return o;
                status = o.status;
                i = done;
                continue;
            }
            Outcome o = chain(s, b);
            if (o.forever != null || o.exited) return o;
            status = o.status;
        }
        return Outcome.status(status);
    }

    /** {@code a && b || c}: left to right, each part run or skipped on the previous status. */
    private Outcome chain(List<String> words, Timeline.Builder b) {
        int status = 0;
        String op = null;
        List<String> current = new ArrayList<>();
        List<String> all = new ArrayList<>(words);
        all.add(";");
        for (String w : all) {
            if (w.equals("&&") || w.equals("||") || w.equals(";")) {
                boolean run = op == null || op.equals("&&") && status == 0 || op.equals("||") && status != 0;
                if (run) {
                    Outcome o = command(current, b, false);
                    if (o.forever != null || o.exited) return o;
                    status = o.status;
                }
                op = w;
                current = new ArrayList<>();
            } else {
                current.add(w);
            }
        }
        return Outcome.status(status);
    }

    /**
     * A loop from statement {@code start} ({@code while COND; do}) to its {@code done}: {@code while true} and
     * {@code until false} never end (their body repeats); {@code for x in a b c} runs its body once per word.
     */
    private Outcome loop(List<List<String>> st, int start, int done, Timeline.Builder b) {
        List<String> head = st.get(start);
        int doAt = start + 1;
        while (doAt < done && !(st.get(doAt).size() > 0 && st.get(doAt).get(0).equals("do"))) doAt++;
        List<List<String>> body = new ArrayList<>();
        List<String> first = new ArrayList<>(st.get(doAt).subList(1, st.get(doAt).size()));
        if (!first.isEmpty()) body.add(first);
        body.addAll(st.subList(doAt + 1, done));
        if (head.get(0).equals("for")) {
            int words = Math.max(0, head.size() - 3); // for x in a b c
            int status = 0;
            for (int n = 0; n < words; n++) {
                Outcome o = run(body, 0, body.size(), b);
                if (o.forever != null || o.exited) return o;
                status = o.status;
            }
            return Outcome.status(status);
        }
        String condition = head.size() > 1 ? head.get(1) : "";
        boolean forever = head.get(0).equals("while") ? condition.equals("true") || condition.equals(":")
                : condition.equals("false");
        if (!forever) return Outcome.status(0); // a condition that cannot be decided without running it: treated as false
        // one round, recorded as the loop's body: the process repeats it until stopped
        Timeline.Builder round = new Timeline.Builder();
        Outcome o = run(body, 0, body.size(), round);
        Timeline once = o.forever != null ? o.forever : round.exit(o.status, Behaviour.Termination.IGNORE);
        if (o.forever != null || o.exited) {
            once.output().forEach(line -> b.print(line.stream(), line.text()));
            if (o.forever != null) return new Outcome(0, true, b.forever(Behaviour.Termination.IGNORE));
            b.sleep(once.exitAfter());
            return new Outcome(o.status, true, null);
        }
        return new Outcome(0, true, b.loop(once.output(), once.exitAfter(), Behaviour.Termination.IGNORE));
    }

    private static int matchingDone(List<List<String>> st, int start) {
        int depth = 0;
        for (int i = start; i < st.size(); i++) {
            List<String> s = st.get(i);
            if (s.isEmpty()) continue;
            String h = s.get(0);
            if (i > start && (h.equals("while") || h.equals("until") || h.equals("for"))) depth++;
            if (h.equals("done")) {
                if (depth == 0) return i;
                depth--;
            }
        }
        throw new IllegalArgumentException("loop without done");
    }

    /** Statements: words split at {@code ;} and newlines ({@code &&} and {@code ||} stay inside a statement). */
    private static List<List<String>> statements(List<String> words) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String w : words) {
            if (w.equals(";") || w.equals("\n")) {
                if (!current.isEmpty()) out.add(current);
                current = new ArrayList<>();
            } else {
                current.add(w);
            }
        }
        if (!current.isEmpty()) out.add(current);
        // "do" and "done" start their own statements: "while true; do echo x; done" → [while true] [do echo x] [done]
        List<List<String>> split = new ArrayList<>();
        for (List<String> s : out) {
            if (s.size() > 1 && s.get(s.size() - 1).equals("done")) {
                split.add(s.subList(0, s.size() - 1));
                split.add(List.of("done"));
            } else {
                split.add(s);
            }
        }
        return split;
    }

    /** Shell words: whitespace separated, quotes removed, {@code ;}, {@code &&}, {@code ||} and newlines as tokens. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated quoted string");
                w.append(text, i + 1, end);
                inWord = true;
                i = end;
            } else if (c == ';' || c == '\n') {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
                out.add(c == ';' ? ";" : "\n");
            } else if ((c == '&' || c == '|') && i + 1 < text.length() && text.charAt(i + 1) == c) {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
                out.add(c == '&' ? "&&" : "||");
                i++;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else if (c == '#' && !inWord) {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? text.length() : nl - 1;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) out.add(w.toString());
        return out;
    }
}
