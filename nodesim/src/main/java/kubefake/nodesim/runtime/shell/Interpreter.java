package kubefake.nodesim.runtime.shell;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * A POSIX shell running {@link Parser}'s programs in a simulated container: variables and the environment, word
 * expansion ({@code $VAR}, {@code ${VAR:-x}} and the other operators, {@code $(...)} and backticks, {@code $((...))},
 * field splitting, pathname expansion against the container's files), redirections, control flow, functions and the
 * builtins that change the shell itself (cd, exit, export, set, read, eval ...). Utilities and programs are the
 * {@link Host}'s.
 *
 * <p>Commands end through callbacks, so a {@code sleep} waits on the process's timer without holding a thread: every
 * step takes a continuation, and loops run rounds that end at once in place rather than on a growing stack. Not
 * thread-safe: the process's thread drives it.
 */
public final class Interpreter {
    /** The container the shell runs in. */
    public interface Host {
        /** A program or utility the image has (a name, or a path to one). */
        boolean isProgram(String name);

        boolean fileExists(String path);

        boolean isDirectory(String path);

        /** The names in a directory. */
        List<String> list(String dir);

        /** A file's bytes, or null. */
        byte[] read(String path);

        /** What a write to a file came to. */
        enum Written { DONE, NO_DIRECTORY, NO_SPACE }

        /** Writes (or appends to) a file. */
        Written write(String path, byte[] data, boolean append);

        /** Runs a task later on the process's thread; returns what cancels it. */
        Runnable after(Duration delay, Runnable task);

        /**
         * Gives the thread back for a moment in a long run of work that never waits (a loop's rounds): {@code task} goes
         * on after a millisecond, or once the client has taken the output it is behind on.
         */
        default void pause(Runnable task) {
            after(Duration.ofMillis(1), task);
        }

        /** Runs a program or utility of the image; {@code done} takes its status. */
        void run(List<String> argv, Context context, IntConsumer done);

        /** The shell's process id ({@code $$}). */
        int pid();

        /**
         * Takes the next line of the process's own stdin for {@code read}, handing it to {@code line} once it has
         * arrived: with its newline, without one when the input ended after it, or null at the end of the input.
         */
        default void readLine(Consumer<String> line) {
            line.accept(null);
        }
    }

    /**
     * What a program the host runs gets: its streams (stdin: bytes of a file or a here-document, else the pipe of a
     * pipeline's stage it reads as the writer writes, else (both null) the process's own), working directory,
     * environment, the shell that runs it and the script line it is on.
     */
    public record Context(Output stdout, Output stderr, byte[] stdin, Pipe.Reader stdinPipe, String cwd,
                          Map<String, String> env, Interpreter shell, int line) {
    }

    /** A command's standard input when it is not the process's: a file, a here-document, or a pipe. */
    private static final class Input {
        final byte[] data;
        final Pipe.Reader pipe;
        int pos;

        Input(byte[] data) {
            this.data = data;
            this.pipe = null;
        }

        Input(Pipe.Reader pipe) {
            this.data = null;
            this.pipe = pipe;
        }

        /** What is left to read; a program is not told how much of it it reads, so it stays for the next. */
        byte[] remaining() {
            return pipe != null ? null : java.util.Arrays.copyOfRange(data, pos, data.length);
        }
    }

    private record Io(Output out, Output err, Input in) {
    }

    /** An expansion that fails ({@code ${x?}}, {@code $((1/0))}): its message is printed and the command fails. */
    private static final class ExpansionError extends RuntimeException {
        ExpansionError(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> BUILTINS = Set.of("cd", "exit", "export", "unset", "set", "shift", "return", "break",
            "continue", "eval", ".", "source", "read", "local", "readonly", "wait", "trap", "umask", "command", "type",
            "exec", "ulimit", "alias", "unalias", "jobs", "times", "getopts", "hash");
    /** A loop that never waits yields the process's thread after this many rounds. */
    private static final int ROUNDS_BEFORE_YIELD = 1000;

    private final Host host;
    private final Dialect dialect;
    private String name;
    private boolean file;
    private final boolean interactive;
    private final Map<String, String> vars;
    private final Set<String> exported;
    private final Map<String, Node> functions;
    private List<String> positional = new ArrayList<>();
    private String cwd;
    private int status;
    private final Io io;
    private IntConsumer onExit;
    private boolean exited;
    private int breaking;
    private int continuing;
    private boolean returning;
    private int loops;
    /** Per function call: the variables {@code local} saved (null value: unset before). */
    private final Deque<Map<String, String>> locals = new ArrayDeque<>();
    private int line = 1;
    /** {@code set -e}: a command that fails outside a condition ends the shell with its status. */
    private boolean errexit;
    /** {@code set -x}: each command is written to standard error, after expansion, behind {@code + }. */
    private boolean xtrace;
    /**
     * How many conditions are being run (if/while/until tests, the left of {@code &&} and {@code ||}, a {@code !}
     * pipeline): {@code set -e} does not apply inside them.
     */
    private int conditions;
    /** {@code trap}'s actions by condition ({@code EXIT}, {@code TERM}, {@code INT}...): "" ignores the signal. */
    private final Map<String, String> traps = new LinkedHashMap<>();
    /** Signals a trap takes, waiting for the current command to end. */
    private final Deque<String> pendingSignals = new ArrayDeque<>();
    private boolean inTrap;
    /** While {@code wait} waits: how a trapped signal ends it at once (with 128 + the signal's number). */
    private IntConsumer waitInterrupted;
    /** The background jobs by process ID, with their status once they ended. */
    private final Map<Integer, Job> jobs = new LinkedHashMap<>();
    private int lastBackground;
    private int nextBackground;

    /**
     * A shell: {@code name} its {@code $0} (sh, /bin/sh, bash), {@code environment} what it inherits, its streams
     * ({@code stdin} null: the process's), {@code onExit} told its status when it exits.
     */
    public Interpreter(Host host, Dialect dialect, String name, Map<String, String> environment, String cwd, boolean interactive,
                       Output stdout, Output stderr, byte[] stdin, IntConsumer onExit) {
        this(host, dialect, name, environment, cwd, interactive, stdout, stderr, stdin == null ? null : new Input(stdin), onExit);
    }

    /** A shell reading a pipeline's pipe ({@code ... | sh -c 'while read l; ...'}). */
    public Interpreter(Host host, Dialect dialect, String name, Map<String, String> environment, String cwd,
                       Output stdout, Output stderr, Pipe.Reader stdin, IntConsumer onExit) {
        this(host, dialect, name, environment, cwd, false, stdout, stderr, new Input(stdin), onExit);
    }

    private Interpreter(Host host, Dialect dialect, String name, Map<String, String> environment, String cwd, boolean interactive,
                        Output stdout, Output stderr, Input stdin, IntConsumer onExit) {
        this.host = host;
        this.dialect = dialect;
        this.name = name;
        this.interactive = interactive;
        this.vars = new LinkedHashMap<>(environment);
        this.exported = new LinkedHashSet<>(environment.keySet());
        this.functions = new HashMap<>();
        this.cwd = cwd;
        this.io = new Io(stdout, stderr, stdin);
        this.onExit = onExit;
        vars.putIfAbsent("IFS", " \t\n");
        vars.put("PWD", cwd);
        if (dialect != Dialect.BASH) vars.putIfAbsent("PS1", interactive ? "\\w \\$ " : "$ ");
        nextBackground = host.pid() + 1;
    }

    private Interpreter(Interpreter parent, Io io, IntConsumer onExit) {
        this.host = parent.host;
        this.dialect = parent.dialect;
        this.name = parent.name;
        this.file = parent.file;
        this.interactive = false;
        this.vars = new LinkedHashMap<>(parent.vars);
        this.exported = new LinkedHashSet<>(parent.exported);
        this.functions = new HashMap<>(parent.functions);
        this.positional = new ArrayList<>(parent.positional);
        this.cwd = parent.cwd;
        this.status = parent.status;
        this.io = io;
        this.onExit = onExit;
        this.line = parent.line;
        this.nextBackground = parent.nextBackground;
        this.errexit = parent.errexit;
        this.xtrace = parent.xtrace;
        parent.traps.forEach((condition, action) -> {
            if (action.isEmpty()) traps.put(condition, action);
        });
    }

    public String cwd() {
        return cwd;
    }

    /** {@code $?}. */
    public int status() {
        return status;
    }

    public void status(int status) {
        this.status = status;
    }

    /** The exported variables: what a program started now would get. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : exported) if (vars.containsKey(k)) env.put(k, vars.get(k));
        return env;
    }

    /** Whether the text ends inside a command (an open quote, a loop without done): a terminal shell reads on. */
    public static boolean incomplete(String text) {
        try {
            Parser.parse(text, 1);
            return false;
        } catch (SyntaxError e) {
            return e.atEnd();
        }
    }

    /** {@code sh -c SCRIPT [$0 [$1 ...]]}: runs the script, then exits with its status. */
    public void runScript(String script, List<String> args) {
        if (!args.isEmpty()) {
            name = args.get(0);
            positional = new ArrayList<>(args.subList(1, args.size()));
        }
        program(script, 1, this::exit);
    }

    /** {@code sh FILE [args]}: the file's text, messages naming the file. */
    public void runFile(String path, String text, List<String> args) {
        name = path;
        file = true;
        positional = new ArrayList<>(args);
        program(text, 1, this::exit);
    }

    /** One line (or more) typed at an interactive shell, numbered from {@code firstLine}. */
    public void runLine(String text, int firstLine, IntConsumer done) {
        breaking = 0;
        continuing = 0;
        returning = false;
        loops = 0;
        program(text, firstLine, done);
    }

    private void program(String text, int firstLine, IntConsumer done) {
        Node program;
        try {
            program = Parser.parse(text, firstLine);
        } catch (SyntaxError e) {
            String[] lines = text.split("\n", -1);
            int index = e.line - firstLine;
            String source = index >= 0 && index < lines.length ? lines[index] : null;
            io.err.text(dialect.syntaxError(name, file, interactive, e, source));
            status = 2;
            done.accept(2);
            return;
        }
        exec(program, io, st -> {
            if (!exited) done.accept(status = st);
        });
    }

    private void exit(int code) {
        if (exited) return;
        String action = traps.remove("EXIT");
        if (action != null && !action.isEmpty()) {
            // the EXIT trap runs before the shell goes; its own exit sets the status, else the shell's stands
            status = code;
            runTrap(action, st -> end(code));
            return;
        }
        end(code);
    }

    private void end(int code) {
        if (exited) return;
        exited = true;
        onExit.accept(code);
    }

    /**
     * A signal sent to this shell. True when a trap takes it: its action runs once the command running now ends (at
     * once if the shell is in {@code wait}), or nothing happens for an ignored signal; false when the shell has no trap
     * for it, and the signal does what it does by default.
     */
    public boolean signal(String signal) {
        String condition = signalName(signal);
        String action = condition == null ? null : traps.get(condition);
        if (action == null) return false;
        if (action.isEmpty() || exited) return true;
        pendingSignals.add(condition);
        if (waitInterrupted != null) {
            IntConsumer w = waitInterrupted;
            waitInterrupted = null;
            w.accept(128 + SIGNALS.get(condition));
        }
        return true;
    }

    /** The signals a trap names (numbers as Linux has them on x86-64), EXIT as 0. */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("EXIT", 0), Map.entry("HUP", 1),
            Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("CHLD", 17));

    /** {@code TERM}, {@code SIGTERM}, {@code 15} (any case) as {@code TERM}; null when it names no signal. */
    private static String signalName(String spec) {
        String upper = spec.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("SIG")) upper = upper.substring(3);
        if (SIGNALS.containsKey(upper)) return upper;
        for (Map.Entry<String, Integer> e : SIGNALS.entrySet()) if (Integer.toString(e.getValue()).equals(spec)) return e.getKey();
        return null;
    }

    private void runTrap(String action, IntConsumer done) {
        int saved = status;
        inTrap = true;
        Node program;
        try {
            program = Parser.parse(action, line);
        } catch (SyntaxError e) {
            io.err.text(dialect.syntaxError(name, file, interactive, e, action));
            inTrap = false;
            done.accept(saved);
            return;
        }
        exec(program, io, st -> {
            inTrap = false;
            status = saved;
            done.accept(saved);
        });
    }

    /** The traps of the signals that came while a command ran, one after another, then {@code k}. */
    private void pendingTraps(int st, IntConsumer k) {
        String condition = inTrap ? null : pendingSignals.poll();
        if (condition == null || exited) {
            k.accept(st);
            return;
        }
        String action = traps.get(condition);
        if (action == null || action.isEmpty()) {
            pendingTraps(st, k);
            return;
        }
        runTrap(action, ignored -> pendingTraps(st, k));
    }

    private boolean jumping() {
        return exited || breaking > 0 || continuing > 0 || returning;
    }

    /** A copy of this shell's state for a subshell, a pipeline's stage, {@code $(...)}: it ends by {@code onExit}. */
    private Interpreter fork(Io io, IntConsumer onExit) {
        return new Interpreter(this, io, onExit);
    }

    // ---------------------------------------------------------------- commands

    private void exec(Node node, Io io, IntConsumer k) {
        if (exited) return;
        if (node instanceof Node.Sequence s) {
            sequence(s.commands(), io, k);
        } else if (node instanceof Node.Background b) {
            int pid = nextBackground++;
            Job job = new Job();
            jobs.put(pid, job);
            Interpreter shell = fork(io, job::ended);
            lastBackground = pid;
            shell.exec(b.command(), io, shell::exit);
            k.accept(0);
        } else if (node instanceof Node.And a) {
            condition(a.left(), io, st -> {
            if (st == 0 && !jumping()) exec(a.right(), io, k);
            else k.accept(st);
        });
        } else if (node instanceof Node.Or o) {
            condition(o.left(), io, st -> {
            if (st != 0 && !jumping()) exec(o.right(), io, k);
            else k.accept(st);
        });
        } else if (node instanceof Node.Not n) {
            condition(n.command(), io, st -> k.accept(st == 0 ? 1 : 0));
        } else if (node instanceof Node.Pipeline p) {
            pipeline(p.stages(), io, afterCommand(k));
        } else if (node instanceof Node.Simple s) {
            simple(s, io, afterCommand(k));
        } else if (node instanceof Node.Redirected r) {
            line = r.line();
            substitutions(r.redirects().stream().map(Node.Redirect::target).toList(), io, subs -> {
                Io redirected;
                try {
                    redirected = redirect(r.redirects(), io, subs);
                } catch (ExpansionError e) {
                    io.err.text(e.getMessage());
                    k.accept(dialect == Dialect.DASH ? 2 : 1);
                    return;
                }
                exec(r.command(), redirected, k);
            });
        } else if (node instanceof Node.Group g) {
            exec(g.body(), io, k);
        } else if (node instanceof Node.Subshell s) {
            subshell(s.body(), io, afterCommand(k));
        } else if (node instanceof Node.If i) {
            condition(i.condition(), io, st -> {
            if (jumping()) k.accept(st);
            else if (st == 0) exec(i.then(), io, k);
            else if (i.otherwise() != null) exec(i.otherwise(), io, k);
            else k.accept(0);
        });
        } else if (node instanceof Node.For f) {
            substitutions(f.words() == null ? List.of() : f.words(), io, subs -> {
            List<String> items;
            try {
                items = f.words() == null ? new ArrayList<>(positional) : fields(f.words(), subs);
            } catch (ExpansionError e) {
                expansionFailed(e, io, k);
                return;
            }
            loops++;
            int[] i = {0};
            new Rounds() {
                @Override
                boolean next(IntConsumer done) {
                    if (!afterRound() || i[0] >= items.size()) return false;
                    vars.put(f.name(), items.get(i[0]++));
                    exec(f.body(), io, done);
                    return true;
                }
            }.run(st -> {
                loops--;
                k.accept(st);
            });
        });
        } else if (node instanceof Node.Loop l) {
            loops++;
            int[] bodyStatus = {0};
            boolean[] inCondition = {false};
            new Rounds() {
                @Override
                boolean next(IntConsumer done) {
                    if (!inCondition[0]) {
                        if (status != 0 || bodyStatus[0] != 0) bodyStatus[0] = status;
                        if (!afterRound()) return false;
                        inCondition[0] = true;
                        condition(l.condition(), io, done);
                        return true;
                    }
                    inCondition[0] = false;
                    if (jumping()) return false;
                    boolean go = (status == 0) != l.until();
                    if (!go) return false;
                    exec(l.body(), io, done);
                    return true;
                }
            }.run(st -> {
                loops--;
                k.accept(bodyStatus[0]);
            });
        } else if (node instanceof Node.Case c) {
            List<Word> words = new ArrayList<>();
            words.add(c.word());
            for (Node.Arm a : c.arms()) words.addAll(a.patterns());
            substitutions(words, io, subs -> {
                try {
                    String subject = string(c.word(), subs);
                    for (Node.Arm a : c.arms()) {
                        for (Word p : a.patterns()) {
                            if (Glob.matches(pattern(p, subs), subject)) {
                                exec(a.body(), io, k);
                                return;
                            }
                        }
                    }
                } catch (ExpansionError e) {
                    expansionFailed(e, io, k);
                    return;
                }
                k.accept(0);
            });
        } else if (node instanceof Node.Function f) {
            functions.put(f.name(), f.body());
            k.accept(0);
        }
    }

    /** Runs a command whose status is tested, where {@code set -e} does not apply. */
    private void condition(Node node, Io io, IntConsumer k) {
        conditions++;
        exec(node, io, st -> {
            conditions--;
            k.accept(st);
        });
    }

    /**
     * After a simple command, a pipeline or a subshell: the traps of signals that came meanwhile, then {@code k}, or
     * the shell's exit when {@code set -e} is on and the command failed outside a condition (compound commands end
     * through the failing command inside them).
     */
    private IntConsumer afterCommand(IntConsumer k) {
        return st -> {
            if (io.out instanceof Pipe.Writer pipe) {
                // writing into a pipe: a reader that has gone kills the writer (SIGPIPE), a full pipe makes it wait
                if (pipe.broken() && !signal("PIPE")) {
                    end(128 + SIGNALS.get("PIPE"));
                    return;
                }
                if (pipe.full()) {
                    pipe.whenDrained(() -> afterCommand(k).accept(st));
                    return;
                }
            }
            pendingTraps(st, after -> {
                if (after != 0 && errexit && conditions == 0 && !interactive) exit(after);
                else k.accept(after);
            });
        };
    }

    /** A background job: its status once it ended, and who waits for it. */
    private static final class Job {
        Integer status;
        final List<IntConsumer> waiters = new ArrayList<>();

        void ended(int code) {
            if (status != null) return;
            status = code;
            List<IntConsumer> w = new ArrayList<>(waiters);
            waiters.clear();
            for (IntConsumer c : w) c.accept(code);
        }
    }

    /**
     * Rounds of a loop or a list, one after another: a round that ends at once is followed in place (no deeper stack),
     * one that waits resumes the rounds when it ends; a long run of rounds that never wait yields the thread.
     */
    private abstract class Rounds {
        int status;
        private int spins;

        /** Starts the next round, which ends through {@code done}; false: none left. */
        abstract boolean next(IntConsumer done);

        void run(IntConsumer k) {
            while (true) {
                if (exited) return;
                boolean[] waiting = {true};
                boolean[] ended = {false};
                boolean started = next(st -> {
                    status = st;
                    Interpreter.this.status = st;
                    ended[0] = true;
                    if (!waiting[0]) run(k);
                });
                if (!started) {
                    k.accept(status);
                    return;
                }
                waiting[0] = false;
                if (!ended[0]) {
                    spins = 0; // a round that waits gives the thread back: only a run of rounds that never wait yields
                    return;
                }
                if (++spins % ROUNDS_BEFORE_YIELD == 0) {
                    host.pause(() -> run(k));
                    return;
                }
            }
        }
    }

    /** After a loop's round: false when break, return or exit ends the loop; a continue for this loop is used up. */
    private boolean afterRound() {
        if (exited || returning) return false;
        if (breaking > 0) {
            breaking--;
            return false;
        }
        if (continuing > 0) {
            continuing--;
            return continuing == 0;
        }
        return true;
    }

    private void sequence(List<Node> commands, Io io, IntConsumer k) {
        int[] i = {0};
        new Rounds() {
            @Override
            boolean next(IntConsumer done) {
                if (i[0] >= commands.size() || i[0] > 0 && jumping()) return false;
                exec(commands.get(i[0]++), io, done);
                return true;
            }
        }.run(k);
    }

    private void subshell(Node body, Io io, IntConsumer k) {
        boolean[] ended = {false};
        IntConsumer end = st -> {
            if (ended[0]) return;
            ended[0] = true;
            k.accept(st);
        };
        Interpreter sub = fork(io, end);
        sub.exec(body, io, sub::exit);
    }

    /**
     * The stages together, each in a subshell, each one's output a pipe to the next one's input: a stage starts once
     * the one before it ended or waits, and reads what it wrote so far and then as it writes. The pipeline ends when
     * every stage has, with the last one's status; a stage's end closes its ends of the pipes (its reader sees
     * end-of-file, its writer dies of SIGPIPE at its next command).
     */
    private void pipeline(List<Node> stages, Io io, IntConsumer k) {
        int[] running = {stages.size()};
        int[] lastStatus = {0};
        Input in = io.in;
        for (int i = 0; i < stages.size(); i++) {
            boolean last = i == stages.size() - 1;
            Pipe pipe = last ? null : new Pipe(task -> host.after(Duration.ofMillis(1), task));
            Pipe.Reader reading = i == 0 ? null : in.pipe;
            subshell(stages.get(i), new Io(last ? io.out : pipe.writer(), io.err, in), st -> {
                if (pipe != null) pipe.writer().close();
                if (reading != null) reading.close();
                if (last) lastStatus[0] = st;
                if (--running[0] == 0 && !exited) k.accept(lastStatus[0]);
            });
            if (pipe != null) in = new Input(pipe.reader());
        }
    }

    // ---------------------------------------------------------------- simple commands

    private void simple(Node.Simple s, Io io, IntConsumer k) {
        line = s.line();
        List<Word> words = new ArrayList<>(s.words());
        for (Node.Assignment a : s.assignments()) words.add(a.value());
        for (Node.Redirect r : s.redirects()) words.add(r.target());
        int before = status;
        substitutions(words, io, subs -> {
            int subStatus = subs.isEmpty() ? before : status;
            List<String> argv;
            Map<String, String> assigned = new LinkedHashMap<>();
            Io redirected;
            try {
                argv = fields(s.words(), subs);
                for (Node.Assignment a : s.assignments()) assigned.put(a.name(), string(a.value(), subs));
            } catch (ExpansionError e) {
                expansionFailed(e, io, k);
                return;
            }
            try {
                redirected = redirect(s.redirects(), io, subs);
            } catch (ExpansionError e) {
                io.err.text(e.getMessage());
                k.accept(dialect == Dialect.DASH ? 2 : 1);
                return;
            }
            if (xtrace) trace(assigned, argv, io);
            if (argv.isEmpty()) {
                vars.putAll(assigned);
                k.accept(subStatus);
                return;
            }
            command(argv, assigned, redirected, k);
        });
    }

    /** {@code set -x}'s line: the assignments and words as expanded, quoted where the shell would need quotes. */
    private void trace(Map<String, String> assigned, List<String> argv, Io io) {
        StringBuilder b = new StringBuilder("+");
        for (Map.Entry<String, String> a : assigned.entrySet()) b.append(' ').append(a.getKey()).append('=').append(traceQuoted(a.getValue()));
        for (String w : argv) b.append(' ').append(traceQuoted(w));
        io.err.text(b.append('\n').toString());
    }

    private static String traceQuoted(String w) {
        if (!w.isEmpty() && w.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:=@%+,".indexOf(c) >= 0)) return w;
        return "'" + w.replace("'", "'\\''") + "'";
    }

    private void expansionFailed(ExpansionError e, Io io, IntConsumer k) {
        io.err.text(e.getMessage());
        if (interactive) k.accept(dialect == Dialect.BASH ? 1 : 2);
        else exit(dialect == Dialect.BASH ? 1 : 2);
    }

    private void command(List<String> argv, Map<String, String> assigned, Io io, IntConsumer k) {
        String command = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        Node function = functions.get(command);
        if (function != null) {
            vars.putAll(assigned);
            call(function, args, io, k);
            return;
        }
        if (BUILTINS.contains(command) && !(command.equals("source") && dialect != Dialect.BASH)) {
            vars.putAll(assigned);
            builtin(command, args, io, k);
            return;
        }
        if (!host.isProgram(command)) {
            String path = command.contains("/") ? resolve(command) : null;
            if (path != null && host.isDirectory(path)) {
                io.err.text(prefix(null) + command + ": Permission denied\n");
                k.accept(126);
            } else if (path != null && host.read(path) != null) {
                script(command, new String(host.read(path), StandardCharsets.UTF_8), args, io, k);
            } else {
                io.err.text(dialect.notFound(name, file, interactive, line, command));
                k.accept(127);
            }
            return;
        }
        Map<String, String> env = environment();
        env.putAll(assigned);
        host.run(argv, new Context(io.out, io.err, io.in == null ? null : io.in.remaining(), io.in == null ? null : io.in.pipe,
                cwd, env, this, line), k);
    }

    /** A script file run as a program: a new shell of the same kind reads it. */
    private void script(String path, String text, List<String> args, Io io, IntConsumer k) {
        Interpreter child = new Interpreter(host, dialect, path, environment(), cwd, false, io.out, io.err,
                io.in == null ? null : io.in.pipe != null ? io.in : new Input(io.in.remaining()), k);
        String body = text.startsWith("#!") ? text.substring(text.indexOf('\n') + 1 == 0 ? text.length() : text.indexOf('\n') + 1) : text;
        child.file = true;
        child.positional = new ArrayList<>(args);
        child.program(body, text.startsWith("#!") ? 2 : 1, child::exit);
    }

    private void call(Node body, List<String> args, Io io, IntConsumer k) {
        List<String> saved = positional;
        positional = new ArrayList<>(args);
        locals.push(new HashMap<>());
        int savedLoops = loops;
        loops = 0;
        exec(body, io, st -> {
            int result = returning ? status : st;
            returning = false;
            loops = savedLoops;
            positional = saved;
            locals.pop().forEach((n, v) -> {
                if (v == null) vars.remove(n);
                else vars.put(n, v);
            });
            k.accept(result);
        });
    }

    /** The start of a message on the current line, from the shell or (builtin not null) one of its builtins. */
    private String prefix(String builtin) {
        return dialect.prefix(name, file, interactive, line, builtin);
    }

    private String resolve(String path) {
        if (path.startsWith("/")) return normalize(path);
        return normalize(cwd + "/" + path);
    }

    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!parts.isEmpty()) parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    // ---------------------------------------------------------------- redirections

    private Io redirect(List<Node.Redirect> redirects, Io io, Map<Word.Command, String> subs) {
        Output out = io.out;
        Output err = io.err;
        Input in = io.in;
        for (Node.Redirect r : redirects) {
            if (r.fd() > 2) continue;
            String target = string(r.target(), subs);
            switch (r.op()) {
                case "<<" -> {
                    if (r.fd() == 0) in = new Input(target.getBytes(StandardCharsets.UTF_8));
                }
                case "<", "<>" -> {
                    byte[] data = target.equals("/dev/null") ? new byte[0] : host.read(resolve(target));
                    if (data == null) {
                        throw new ExpansionError(switch (dialect) {
                            case ASH -> prefix(null) + "can't open " + target + ": no such file\n";
                            case DASH -> prefix(null) + "cannot open " + target + ": No such file\n";
                            case BASH -> prefix(null) + target + ": No such file or directory\n";
                        });
                    }
                    if (r.fd() == 0) in = new Input(data);
                }
                case ">", ">|", ">>" -> {
                    Output o = file(target, r.op().equals(">>"));
                    if (r.fd() == 1) out = o;
                    else if (r.fd() == 2) err = o;
                }
                case ">&", "<&" -> {
                    Output o = switch (target) {
                        case "1" -> out;
                        case "2" -> err;
                        case "-" -> Output.NULL;
                        default -> null;
                    };
                    if (o == null && r.op().equals(">&") && !target.matches("\\d+")) { // >&file: both streams to it
                        o = file(target, false);
                        out = o;
                        err = o;
                    } else if (o != null && r.fd() == 1) {
                        out = o;
                    } else if (o != null && r.fd() == 2) {
                        err = o;
                    }
                }
                default -> {
                }
            }
        }
        return new Io(out, err, in);
    }

    private Output file(String target, boolean append) {
        switch (target) {
            case "/dev/null" -> {
                return Output.NULL;
            }
            case "/dev/stdout" -> {
                return io.out;
            }
            case "/dev/stderr" -> {
                return io.err;
            }
            default -> {
            }
        }
        String path = resolve(target);
        if (host.isDirectory(path)) throw new ExpansionError(cannotCreate(target, "Is a directory"));
        if (host.write(path, new byte[0], append) == Host.Written.NO_DIRECTORY) throw new ExpansionError(cannotCreate(target, null));
        Output errors = io.err;
        return new Output() {
            private boolean failed;

            @Override
            public void text(String text) {
                bytes(text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void bytes(byte[] data) {
                if (failed || host.write(path, data, true) != Host.Written.NO_SPACE) return;
                failed = true; // told once; what follows is lost as what a full disk refuses is
                errors.text(prefix(null) + "write error: No space left on device\n");
            }

            @Override
            public boolean failed() {
                return failed;
            }
        };
    }

    private String cannotCreate(String target, String reason) {
        return switch (dialect) {
            case ASH -> prefix(null) + "can't create " + target + ": " + (reason == null ? "nonexistent directory" : reason) + "\n";
            case DASH -> prefix(null) + "cannot create " + target + ": " + (reason == null ? "Directory nonexistent" : reason) + "\n";
            case BASH -> prefix(null) + target + ": " + (reason == null ? "No such file or directory" : reason) + "\n";
        };
    }

    // ---------------------------------------------------------------- expansion

    /** Runs the command substitutions in these words, in order, each in a subshell; gives their output to k. */
    private void substitutions(List<Word> words, Io io, Consumer<Map<Word.Command, String>> k) {
        List<Word.Command> found = new ArrayList<>();
        for (Word w : words) collect(w, found);
        if (found.isEmpty()) {
            k.accept(Map.of());
            return;
        }
        Map<Word.Command, String> out = new IdentityHashMap<>();
        int[] i = {0};
        new Rounds() {
            @Override
            boolean next(IntConsumer done) {
                if (i[0] >= found.size()) return false;
                Word.Command c = found.get(i[0]++);
                Output.Capture capture = new Output.Capture();
                Io subIo = new Io(capture, io.err, io.in);
                subshell(c.body(), subIo, st -> {
                    out.put(c, capture.toString().replaceAll("\n+$", ""));
                    done.accept(st);
                });
                return true;
            }
        }.run(st -> {
            status = st;
            k.accept(out);
        });
    }

    private static void collect(Word w, List<Word.Command> found) {
        if (w == null) return;
        for (Word.Part p : w.parts()) {
            if (p instanceof Word.Command c) found.add(c);
            else if (p instanceof Word.Parameter param) collect(param.arg(), found);
            else if (p instanceof Word.Arithmetic a) collect(a.expression(), found);
        }
    }

    /** Fields being built from a word's parts: split where unquoted expansions have IFS characters. */
    private final class Fields {
        final List<String> out = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        /** The field as a pattern: quoted characters escaped. */
        final StringBuilder pattern = new StringBuilder();
        boolean started;
        boolean glob;

        void quoted(String s) {
            text.append(s);
            pattern.append(Glob.quote(s));
            started = true;
        }

        void literal(String s) {
            text.append(s);
            pattern.append(s);
            started = true;
            if (s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0) glob = true;
        }

        void split(String s) {
            String ifs = vars.getOrDefault("IFS", " \t\n");
            if (ifs.isEmpty()) {
                if (!s.isEmpty()) literal(s);
                return;
            }
            StringBuilder piece = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (ifs.indexOf(c) >= 0) {
                    if (!piece.isEmpty()) literal(piece.toString());
                    piece.setLength(0);
                    end();
                } else {
                    piece.append(c);
                }
            }
            if (!piece.isEmpty()) literal(piece.toString());
        }

        void end() {
            if (!started) return;
            List<String> matches = glob && Glob.special(pattern.toString()) ? Glob.paths(pattern.toString(), cwd, host) : List.of();
            if (matches.isEmpty()) out.add(text.toString());
            else out.addAll(matches);
            text.setLength(0);
            pattern.setLength(0);
            started = false;
            glob = false;
        }
    }

    private List<String> fields(List<Word> words, Map<Word.Command, String> subs) {
        Fields f = new Fields();
        for (Word w : words) {
            for (Word.Part p : w.parts()) {
                if (p instanceof Word.Literal l) {
                    if (l.quoted()) f.quoted(l.text());
                    else f.literal(l.text());
                } else if (p instanceof Word.Parameter param && param.op() == null && param.quoted() && param.name().equals("@")) {
                    for (int i = 0; i < positional.size(); i++) { // "$@": a field per parameter
                        if (i > 0) f.end();
                        f.quoted(positional.get(i));
                    }
                } else {
                    String value = value(p, subs);
                    if (p.quoted()) f.quoted(value);
                    else f.split(value);
                }
            }
            f.end();
        }
        return f.out;
    }

    /** A word expanded to one string: no field splitting, no pathname expansion. */
    private String string(Word w, Map<Word.Command, String> subs) {
        StringBuilder b = new StringBuilder();
        for (Word.Part p : w.parts()) b.append(p instanceof Word.Literal l ? l.text() : value(p, subs));
        return b.toString();
    }

    /** A word as a pattern: its quoted characters matched as they are. */
    private String pattern(Word w, Map<Word.Command, String> subs) {
        StringBuilder b = new StringBuilder();
        for (Word.Part p : w.parts()) {
            String v = p instanceof Word.Literal l ? l.text() : value(p, subs);
            b.append(p.quoted() ? Glob.quote(v) : v);
        }
        return b.toString();
    }

    private String value(Word.Part p, Map<Word.Command, String> subs) {
        if (p instanceof Word.Command c) return subs.getOrDefault(c, "");
        if (p instanceof Word.Arithmetic a) return arithmetic(string(a.expression(), subs));
        if (p instanceof Word.Parameter param) return parameter(param, subs);
        return ((Word.Literal) p).text();
    }

    private String arithmetic(String expression) {
        try {
            return Long.toString(Arithmetic.evaluate(expression, vars));
        } catch (Arithmetic.Failure e) {
            String text = expression.trim();
            throw new ExpansionError(switch (dialect) {
                case ASH -> prefix(null) + (e.divide ? "divide by zero" : "arithmetic syntax error") + "\n";
                case DASH -> prefix(null) + "arithmetic expression: " + (e.divide ? "division by zero" : "expecting primary") + ": \"" + text + "\"\n";
                case BASH -> prefix(null) + text + ": " + (e.divide ? "division by 0" : "syntax error in expression") + "\n";
            });
        }
    }

    /** A parameter's value: null when unset. */
    private String lookup(String n) {
        switch (n) {
            case "?" -> {
                return Integer.toString(status);
            }
            case "$" -> {
                return Integer.toString(host.pid());
            }
            case "#" -> {
                return Integer.toString(positional.size());
            }
            case "0" -> {
                return name;
            }
            case "!" -> {
                return lastBackground == 0 ? null : Integer.toString(lastBackground);
            }
            case "-" -> {
                return interactive ? "i" : "";
            }
            case "@", "*" -> {
                String ifs = vars.getOrDefault("IFS", " ");
                return String.join(n.equals("*") && !ifs.isEmpty() ? ifs.substring(0, 1) : " ", positional);
            }
            default -> {
                if (Character.isDigit(n.charAt(0))) {
                    int i = Integer.parseInt(n);
                    return i <= positional.size() ? positional.get(i - 1) : null;
                }
                if (n.equals("RANDOM") && !vars.containsKey("RANDOM") && dialect != Dialect.DASH) {
                    return Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(32768));
                }
                if (n.equals("LINENO") && dialect != Dialect.DASH) return Integer.toString(line);
                return vars.get(n);
            }
        }
    }

    private String parameter(Word.Parameter p, Map<Word.Command, String> subs) {
        String v = lookup(p.name());
        String op = p.op();
        if (op == null) return v == null ? "" : v;
        boolean colon = op.startsWith(":");
        boolean missing = v == null || colon && v.isEmpty();
        return switch (op) {
            case "length" -> Integer.toString(v == null ? 0 : v.length());
            case ":-", "-" -> missing ? string(p.arg(), subs) : v;
            case ":=", "=" -> {
                if (!missing) yield v;
                String value = string(p.arg(), subs);
                vars.put(p.name(), value);
                yield value;
            }
            case ":+", "+" -> missing ? "" : string(p.arg(), subs);
            case ":?", "?" -> {
                if (!missing) yield v;
                String message = string(p.arg(), subs);
                if (message.isEmpty()) message = dialect == Dialect.BASH ? "parameter null or not set"
                        : colon ? "parameter not set or null" : "parameter not set";
                throw new ExpansionError(prefix(null) + p.name() + ": " + message + "\n");
            }
            case "#", "##", "%", "%%" -> {
                if (v == null) yield "";
                Pattern pattern = Glob.regex(pattern(p.arg(), subs));
                boolean longest = op.length() == 2;
                boolean prefix = op.startsWith("#");
                for (int n = 0; n <= v.length(); n++) {
                    int len = longest ? v.length() - n : n;
                    String part = prefix ? v.substring(0, len) : v.substring(v.length() - len);
                    if (pattern.matcher(part).matches()) yield prefix ? v.substring(len) : v.substring(0, v.length() - len);
                }
                yield v;
            }
            default -> v == null ? "" : v;
        };
    }

    // ---------------------------------------------------------------- builtins

    /**
     * {@code set}'s options ({@code -e}, {@code +x}, {@code -ex}, {@code -o errexit}, then operands as the positional
     * parameters); options the simulation has no use for ({@code -u}, {@code -o pipefail}...) are taken and ignored.
     * False, after the shell's message, for an option no shell has.
     */
    private boolean options(List<String> args, Io io) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--") || !(a.startsWith("-") || a.startsWith("+")) || a.length() < 2) {
                positional = new ArrayList<>(args.subList(a.equals("--") ? i + 1 : i, args.size()));
                return true;
            }
            boolean on = a.charAt(0) == '-';
            if (a.substring(1).equals("o")) {
                if (i + 1 >= args.size()) return true;
                String name = args.get(++i);
                if (name.equals("errexit")) errexit = on;
                else if (name.equals("xtrace")) xtrace = on;
                continue;
            }
            for (char c : a.substring(1).toCharArray()) {
                switch (c) {
                    case 'e' -> errexit = on;
                    case 'x' -> xtrace = on;
                    case 'u', 'f', 'v', 'a', 'b', 'C', 'h', 'm', 'n' -> { }
                    default -> {
                        // ash: "set: illegal option -q", dash: "set: Illegal option -q", bash: "set: -q: invalid option"
                        String option = "" + a.charAt(0) + c;
                        io.err.text(prefix("set") + switch (dialect) {
                            case ASH -> "illegal option " + option + "\n";
                            case DASH -> "Illegal option " + option + "\n";
                            case BASH -> option + ": invalid option\n";
                        });
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * {@code wait [PID...]}: until the named background jobs (all of them without operands) end; its status the last
     * one's (0 without operands, 127 for a process that is not this shell's child), or 128 + the signal's number when
     * a trapped signal interrupts it.
     */
    private void waitFor(List<String> args, Io io, IntConsumer k) {
        List<Job> awaited = new ArrayList<>();
        int unknown = 0;
        if (args.isEmpty()) {
            awaited.addAll(jobs.values());
        } else {
            for (String a : args) {
                Job j = null;
                try {
                    j = jobs.get(Integer.parseInt(a));
                } catch (NumberFormatException e) {
                    // %1 and other job specifications are not simulated: as an unknown process
                }
                if (j == null) unknown = 127;
                else awaited.add(j);
            }
        }
        int finalStatus = unknown != 0 && awaited.isEmpty() ? 127 : 0;
        boolean[] done = {false};
        IntConsumer end = st -> {
            if (done[0]) return;
            done[0] = true;
            waitInterrupted = null;
            k.accept(st);
        };
        Runnable[] next = new Runnable[1];
        int[] i = {0};
        int[] last = {finalStatus};
        next[0] = () -> {
            while (i[0] < awaited.size()) {
                Job j = awaited.get(i[0]++);
                if (j.status == null) {
                    j.waiters.add(st -> {
                        if (!args.isEmpty()) last[0] = st;
                        next[0].run();
                    });
                    return;
                }
                if (!args.isEmpty()) last[0] = j.status;
            }
            if (args.isEmpty()) jobs.values().removeIf(j -> j.status != null);
            end.accept(last[0]);
        };
        waitInterrupted = end;
        next[0].run();
    }

    /** {@code trap [ACTION CONDITION...]}, {@code trap - CONDITION...}: sets, resets or lists the traps; its status. */
    private int trap(List<String> args, Io io) {
        if (args.isEmpty() || args.equals(List.of("-p"))) {
            StringBuilder b = new StringBuilder();
            traps.forEach((condition, action) ->
                    b.append("trap -- '").append(action.replace("'", "'\\''")).append("' ").append(condition).append('\n'));
            io.out.text(b.toString());
            return 0;
        }
        int from = args.get(0).equals("--") ? 1 : 0;
        if (from >= args.size()) return 0;
        String action = args.get(from);
        List<String> conditions = args.subList(from + 1, args.size());
        // a lone operand that names a signal by number resets it (POSIX), as does the action "-"
        if (conditions.isEmpty() && signalName(action) != null && action.chars().allMatch(Character::isDigit)) {
            conditions = List.of(action);
            action = "-";
        }
        int result = 0;
        for (String c : conditions) {
            String condition = signalName(c);
            if (condition == null || condition.equals("KILL")) {
                io.err.text(prefix("trap") + (dialect == Dialect.BASH ? c + ": invalid signal specification\n" : c + ": bad trap\n"));
                result = 1;
                continue;
            }
            if (action.equals("-")) traps.remove(condition);
            else traps.put(condition, action);
        }
        return result;
    }

    private void builtin(String command, List<String> args, Io io, IntConsumer k) {
        switch (command) {
            case "cd" -> k.accept(cd(args, io));
            case "exit" -> {
                int code = status;
                if (!args.isEmpty()) {
                    try {
                        code = Integer.parseInt(args.get(0)) & 0xFF;
                    } catch (NumberFormatException e) {
                        io.err.text(switch (dialect) {
                            case ASH -> prefix("exit") + "Illegal number: " + args.get(0) + "\n";
                            case DASH -> prefix("exit") + "Illegal number: " + args.get(0) + "\n";
                            case BASH -> prefix("exit") + args.get(0) + ": numeric argument required\n";
                        });
                        code = 2;
                    }
                }
                exit(code);
            }
            case "export", "readonly" -> {
                if (args.isEmpty() || args.get(0).equals("-p")) {
                    StringBuilder b = new StringBuilder();
                    for (Map.Entry<String, String> e : new TreeMap<>(environment()).entrySet()) {
                        b.append(dialect == Dialect.BASH ? "declare -x " + e.getKey() + "=\"" + e.getValue() + "\""
                                : "export " + e.getKey() + "='" + e.getValue().replace("'", "'\"'\"'") + "'").append('\n');
                    }
                    io.out.text(b.toString());
                } else {
                    for (String a : args) {
                        int eq = a.indexOf('=');
                        String n = eq < 0 ? a : a.substring(0, eq);
                        if (eq >= 0) vars.put(n, a.substring(eq + 1));
                        if (command.equals("export")) exported.add(n);
                    }
                }
                k.accept(0);
            }
            case "local" -> {
                Map<String, String> frame = locals.peek();
                for (String a : args) {
                    int eq = a.indexOf('=');
                    String n = eq < 0 ? a : a.substring(0, eq);
                    if (frame != null && !frame.containsKey(n)) frame.put(n, vars.get(n));
                    if (eq >= 0) vars.put(n, a.substring(eq + 1));
                }
                k.accept(0);
            }
            case "unset" -> {
                boolean fn = args.contains("-f");
                for (String a : args) {
                    if (a.startsWith("-")) continue;
                    if (fn) functions.remove(a);
                    else {
                        vars.remove(a);
                        exported.remove(a);
                    }
                }
                k.accept(0);
            }
            case "set" -> {
                int dash = args.indexOf("--");
                if (dash >= 0) {
                    positional = new ArrayList<>(args.subList(dash + 1, args.size()));
                } else if (args.isEmpty()) {
                    StringBuilder b = new StringBuilder();
                    for (Map.Entry<String, String> e : new TreeMap<>(vars).entrySet()) {
                        b.append(e.getKey()).append("='").append(e.getValue().replace("'", "'\"'\"'")).append("'\n");
                    }
                    io.out.text(b.toString());
                } else if (!args.get(0).startsWith("-") && !args.get(0).startsWith("+")) {
                    positional = new ArrayList<>(args);
                } else if (!options(args, io)) {
                    // a special built-in's error ends a POSIX shell that is not interactive; bash goes on
                    if (interactive || dialect == Dialect.BASH) k.accept(2);
                    else exit(2);
                    return;
                }
                k.accept(0);
            }
            case "shift" -> {
                int n = args.isEmpty() ? 1 : Integer.parseInt(args.get(0));
                if (n > positional.size()) {
                    if (dialect == Dialect.BASH) {
                        k.accept(1);
                    } else {
                        io.err.text(prefix("shift") + "can't shift that many\n");
                        k.accept(2);
                    }
                    return;
                }
                positional = new ArrayList<>(positional.subList(n, positional.size()));
                k.accept(0);
            }
            case "return" -> {
                status = args.isEmpty() ? status : Integer.parseInt(args.get(0)) & 0xFF;
                returning = true;
                k.accept(status);
            }
            case "break", "continue" -> {
                int n = args.isEmpty() ? 1 : Math.max(1, Integer.parseInt(args.get(0)));
                if (loops > 0) {
                    if (command.equals("break")) breaking = Math.min(n, loops);
                    else continuing = Math.min(n, loops);
                }
                k.accept(0);
            }
            case "eval" -> {
                String text = String.join(" ", args);
                Node program;
                try {
                    program = Parser.parse(text, line);
                } catch (SyntaxError e) {
                    io.err.text(dialect.syntaxError(name, file, interactive, e, text));
                    k.accept(2);
                    return;
                }
                exec(program, io, k);
            }
            case ".", "source" -> {
                if (args.isEmpty()) {
                    k.accept(0);
                    return;
                }
                byte[] data = host.read(resolve(args.get(0)));
                if (data == null) {
                    io.err.text(switch (dialect) {
                        case ASH -> prefix(".") + "can't open '" + args.get(0) + "': No such file or directory\n";
                        case DASH -> prefix(".") + "cannot open " + args.get(0) + ": No such file\n";
                        case BASH -> prefix(null) + args.get(0) + ": No such file or directory\n";
                    });
                    if (interactive || dialect == Dialect.BASH) k.accept(dialect == Dialect.BASH ? 1 : 2);
                    else exit(2);
                    return;
                }
                Node program;
                try {
                    program = Parser.parse(new String(data, StandardCharsets.UTF_8), 1);
                } catch (SyntaxError e) {
                    io.err.text(dialect.syntaxError(args.get(0), true, false, e, null));
                    k.accept(2);
                    return;
                }
                exec(program, io, k);
            }
            case "read" -> read(args, io, k);
            case "command", "type" -> {
                boolean describe = command.equals("type") || args.contains("-v") || args.contains("-V");
                List<String> names = args.stream().filter(a -> !a.startsWith("-")).toList();
                if (!describe) { // command NAME ARGS: run it, skipping functions
                    if (names.isEmpty()) {
                        k.accept(0);
                        return;
                    }
                    List<String> argv = args.get(0).startsWith("-") ? args.subList(1, args.size()) : args;
                    Node fn = functions.remove(argv.get(0));
                    command(argv, Map.of(), io, st -> {
                        if (fn != null) functions.put(argv.get(0), fn);
                        k.accept(st);
                    });
                    return;
                }
                int result = 0;
                for (String n : names) {
                    String where = functions.containsKey(n) ? null : BUILTINS.contains(n) || n.equals("echo") || n.equals("printf")
                            || n.equals("test") || n.equals("true") || n.equals("false") || n.equals("pwd") ? n
                            : host.isProgram(n) ? (n.contains("/") ? n : (dialect == Dialect.ASH ? "/bin/" : "/usr/bin/") + n) : null;
                    if (functions.containsKey(n)) {
                        io.out.text(command.equals("type") || args.contains("-V") ? n + " is a function\n" : n + "\n");
                    } else if (where == null) {
                        if (command.equals("type") || args.contains("-V")) io.err.text(n + ": not found\n");
                        result = command.equals("type") && dialect != Dialect.BASH ? 127 : 1;
                    } else if (command.equals("type") || args.contains("-V")) {
                        io.out.text(where.startsWith("/") ? n + " is " + where + "\n" : n + " is a shell builtin\n");
                    } else {
                        io.out.text(where + "\n");
                    }
                }
                k.accept(result);
            }
            case "exec" -> {
                if (args.isEmpty()) {
                    k.accept(0);
                    return;
                }
                command(args, Map.of(), io, this::exit);
            }
            case "umask" -> {
                if (args.isEmpty()) io.out.text("0022\n");
                k.accept(0);
            }
            case "ulimit" -> {
                if (args.isEmpty() || args.equals(List.of("-n"))) io.out.text(args.isEmpty() ? "unlimited\n" : "1048576\n");
                k.accept(0);
            }
            case "wait" -> waitFor(args, io, k);
            case "trap" -> k.accept(trap(args, io));
            default -> k.accept(0); // alias, jobs, times, hash, getopts: nothing to do in a simulated process
        }
    }

    private int cd(List<String> args, Io io) {
        String target = args.isEmpty() ? vars.getOrDefault("HOME", "/") : args.get(0);
        if (target.equals("-")) {
            target = vars.getOrDefault("OLDPWD", cwd);
            io.out.text(target + "\n");
        }
        String path = resolve(target);
        if (!host.isDirectory(path)) {
            String reason = host.fileExists(path) ? "Not a directory" : "No such file or directory";
            io.err.text(switch (dialect) {
                case ASH -> prefix("cd") + "can't cd to " + target + ": " + reason + "\n";
                case DASH -> prefix("cd") + "can't cd to " + target + "\n";
                case BASH -> prefix("cd") + target + ": " + reason + "\n";
            });
            return dialect == Dialect.BASH ? 1 : 2;
        }
        vars.put("OLDPWD", cwd);
        cwd = path;
        vars.put("PWD", cwd);
        return 0;
    }

    /** {@code read [-r] [NAME...]}: a line of the command's input into variables (REPLY without a name). */
    /**
     * {@code read}: one line of the command's input (a pipe, a file, a here-document), or of the process's own stdin,
     * which the host hands over as it arrives (the shell waits for it, as a read(2) on a pipe does).
     */
    private void read(List<String> args, Io io, IntConsumer k) {
        if (io.in == null || io.in.pipe != null) { // a line once it has come: with its newline, or the last without one
            Consumer<String> took = text -> {
                if (text == null) k.accept(assign(args, null, false));
                else if (text.endsWith("\n")) k.accept(assign(args, text.substring(0, text.length() - 1), true));
                else k.accept(assign(args, text, false));
            };
            if (io.in == null) host.readLine(took);
            else io.in.pipe.readLine(took);
            return;
        }
        if (io.in.pos >= io.in.data.length) {
            k.accept(assign(args, null, false));
            return;
        }
        int end = io.in.pos;
        while (end < io.in.data.length && io.in.data[end] != '\n') end++;
        String l = new String(io.in.data, io.in.pos, end - io.in.pos, StandardCharsets.UTF_8);
        boolean newline = end < io.in.data.length;
        io.in.pos = newline ? end + 1 : end;
        k.accept(assign(args, l, newline));
    }

    /** Splits a line read into {@code read}'s names; null: end of input. Returns read's status. */
    private int assign(List<String> args, String l, boolean newline) {
        boolean raw = args.contains("-r");
        List<String> names = new ArrayList<>(args.stream().filter(a -> !a.startsWith("-")).toList());
        if (names.isEmpty()) names.add("REPLY");
        if (l == null) {
            for (String n : names) vars.put(n, "");
            return 1;
        }
        if (!raw) l = l.replaceAll("\\\\(.)", "$1");
        String ifs = vars.getOrDefault("IFS", " \t\n");
        String rest = names.size() == 1 && ifs.equals(" \t\n") ? l.strip() : l;
        for (int i = 0; i < names.size(); i++) {
            if (i == names.size() - 1) {
                vars.put(names.get(i), stripIfs(rest, ifs));
                break;
            }
            rest = stripLeading(rest, ifs);
            int cut = 0;
            while (cut < rest.length() && ifs.indexOf(rest.charAt(cut)) < 0) cut++;
            vars.put(names.get(i), rest.substring(0, cut));
            rest = stripLeading(rest.substring(cut), ifs);
        }
        return newline ? 0 : 1;
    }

    private static String stripLeading(String s, String ifs) {
        int i = 0;
        while (i < s.length() && ifs.indexOf(s.charAt(i)) >= 0 && Character.isWhitespace(s.charAt(i))) i++;
        return s.substring(i);
    }

    private static String stripIfs(String s, String ifs) {
        s = stripLeading(s, ifs);
        int e = s.length();
        while (e > 0 && ifs.indexOf(s.charAt(e - 1)) >= 0 && Character.isWhitespace(s.charAt(e - 1))) e--;
        return s.substring(0, e);
    }
}
