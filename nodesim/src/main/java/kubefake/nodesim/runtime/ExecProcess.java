package kubefake.nodesim.runtime;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import kubefake.nodesim.runtime.shell.Dialect;
import kubefake.nodesim.runtime.shell.Interpreter;
import kubefake.nodesim.runtime.shell.Pipe;
import kubefake.nodesim.runtime.shell.Output;

/**
 * A process started in a running container by exec: a command of the image (the shell's utilities when the image has
 * a shell, the image's own programs) or an interactive shell ({@code sh}, and {@code bash} in images that have it)
 * that reads command lines from stdin, shows the image's prompt on a terminal and echoes what is typed, as the
 * container's pty does. Commands see the container as the lab looks at it: PID 1 is the image's main process
 * ({@code ps}), {@code kill 1} sends it SIGTERM (the kubelet then restarts the container), the image's files are there
 * ({@code ls}, {@code cat}, {@code cd}), and an unknown command answers as the shell does (status 127). A program the
 * image does not have cannot be started at all: the runtime's error, as containerd reports it.
 *
 * <p>Nothing runs on the host. Not thread-safe: the caller feeds it (and runs the timer's tasks) on one thread.
 */
public final class ExecProcess {
    /** Where the process's output and its end go. */
    public interface Io {
        void stdout(String text);

        /** Bytes as a program wrote them (tar's archive), not text. */
        void stdoutBytes(byte[] data);

        void stderr(String text);

        /** The process ended with this status. */
        void exited(int code);

        /** The runtime could not start the process: containerd's error. */
        void failed(String message);

        /**
         * Queues {@code task} to run on the process's thread once the client has taken the output it is behind on, and
         * answers true (as a write(2) to a terminal nobody reads waits); false, the task not queued, when it is not
         * behind or this stream cannot tell.
         */
        default boolean whenCaughtUp(Runnable task) {
            return false;
        }
    }

    /**
     * The pod network as the container sees it: curl's whole run (the server answers through the simulated pods), and
     * the steps the image's other network tools (ping, nslookup, wget, nc) take: a DNS query to the cluster's DNS, a
     * TCP connection, an HTTP exchange, an ICMP echo.
     */
    @FunctionalInterface
    public interface Network {
        /** curl's output and status for these arguments, and how long it waited (a dropped connection's timeout). */
        Curl curl(List<String> args);

        /** @param savedTo the file {@code -o} wrote (as given: relative to the working directory), with {@code saved}, else nulls */
        record Curl(String stdout, String stderr, int status, Duration took, String savedTo, byte[] saved) {
            public Curl(String stdout, String stderr, int status, Duration took) {
                this(stdout, stderr, status, took, null, null);
            }
        }

        /** What a TCP connection meets: a listening process, a refusal, or nothing (the packets are dropped). */
        enum Reach { OPEN, REFUSED, DROPPED }

        /** The cluster DNS's IPv4 answer for a fully qualified name: its addresses, or null when it does not exist (NXDOMAIN). */
        default List<String> query(String fqdn) {
            return null;
        }

        /** Where a TCP connection to {@code ip:port} goes. */
        default Reach connect(String ip, int port) {
            return Reach.DROPPED;
        }

        /** The response (status line, headers, body) of the HTTP server at {@code ip:port} to a request with this head, or null if none speaks HTTP there. */
        default byte[] http(String ip, int port, String requestHead) {
            return null;
        }

        /** The TTL of the echo reply {@code ip} sends back to a ping, or 0 when none comes. */
        default int echoTtl(String ip) {
            return 0;
        }

        /** The TCP ports the pod's containers listen on (they share its network namespace). */
        default List<Integer> listening() {
            return List.of();
        }

        /** The pod's address on the pod network (eth0), "" when it has none. */
        default String podIp() {
            return "";
        }

        /** A container with no network to reach. */
        Network NONE = args -> new Curl("", "", 6, Duration.ZERO);
    }

    /** Runs a task later (the process's sleeps); returns what cancels it. */
    @FunctionalInterface
    public interface Timer {
        Runnable after(Duration delay, Runnable task);

        /** The time on the process's clock (what date prints, a file's mtime). */
        default Instant now() {
            return Instant.now();
        }
    }

    /**
     * The container the process runs in.
     *
     * @param command    the container's command line (the pod's command and args; empty: the image's own)
     * @param env        its environment as the runtime sets it
     * @param signalMain sends SIGTERM to PID 1
     * @param files      its file system, shared by the container's processes
     * @param network    the pod network it reaches (curl)
     */
    public record Container(String hostname, Image image, List<String> command, Map<String, String> env,
                            Instant startedAt, Runnable signalMain, ContainerFiles files, Network network) {
        /** A container with the image's files of its own and no network. */
        public Container(String hostname, Image image, List<String> command, Map<String, String> env, Instant startedAt,
                         Runnable signalMain) {
            this(hostname, image, command, env, startedAt, signalMain, new ContainerFiles(image, hostname, startedAt));
        }

        public Container(String hostname, Image image, List<String> command, Map<String, String> env, Instant startedAt,
                         Runnable signalMain, ContainerFiles files) {
            this(hostname, image, command, env, startedAt, signalMain, files, Network.NONE);
        }
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss 'UTC' yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final List<String> UTILITIES = List.of("echo", "printf", "sleep", "true", "false", ":", "hostname",
            "cat", "env", "printenv", "ls", "pwd", "id", "whoami", "date", "ps", "kill", "test", "[", "uname", "clear",
            "sh", "bash", "grep", "head", "tail", "wc", "tar", "mkdir", "rm", "stty", "seq", "sort", "touch", "yes");
    /** BusyBox's applets beyond the shell's utilities (busybox and alpine images): Debian's images have none of them. */
    private static final List<String> BUSYBOX_APPLETS = List.of("ps", "ping", "nslookup", "wget", "nc", "ip", "ifconfig",
            "netstat", "df", "free", "uptime", "timeout", "tr");
    /** PIDs handed to exec'd processes: after the image's processes, growing as containers' PIDs do. */
    private static final AtomicInteger NEXT_PID = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Container container;
    private final Io io;
    private final Timer timer;
    private final boolean tty;
    private final boolean bash;
    private final ContainerFiles files;
    /** The environment of the command being run (its shell's exported variables). */
    private Map<String, String> env = new LinkedHashMap<>();
    private final int pid;
    private final Instant started;
    private final String argv0;
    /** The working directory of the command being run (its shell's). */
    private String cwd = "/";
    /** The interactive shell reading stdin, or null. */
    private Interpreter shell;
    /** The shell this process started as (its PID 1 when it is a container's command), which signals reach. */
    private Interpreter mainShell;
    private boolean interactive;
    private boolean ended;
    private Runnable running;
    /**
     * The timers the running command waits on: a pipeline's stages wait on several at once (a sleep, a pipe's next
     * turn, output pacing). {@link #cancelTimers} is {@link #running} while any is pending: Ctrl-C or the container's
     * end cancels them all.
     */
    private final java.util.Set<Runnable> pendingTimers = new java.util.LinkedHashSet<>();
    private final Runnable cancelTimers = this::cancelTimers;
    /** The watcher of a process that runs under {@code timeout} (its signal to come), cancelled at its end; or null. */
    private Runnable watcher;
    /** A program of the image that is running and handles SIGINT itself (ping's statistics), else null. */
    private Program.Running interruptible;
    private boolean stdinClosed;
    private boolean hasStdin;
    /** Lines of stdin an interactive shell has read, as it numbers them in its messages. */
    private int linesRead;
    /** Lines typed so far of a command that goes on (an open quote, a loop without done): the shell shows "> ". */
    private final StringBuilder continued = new StringBuilder();
    private int continuedFrom;
    /** A command of a non-interactive process reading stdin (tar -x), to be told its bytes and their end. */
    private StdinReader reader;
    /** Most stdin kept while no command reads it (a pipe's writer would block; here the rest is dropped). */
    private static final int MAX_UNREAD = 16 << 20;
    /**
     * Stdin that arrived while no command read it, or beyond the line a shell's {@code read} took: the next reader
     * gets it first.
     */
    private final java.io.ByteArrayOutputStream unread = new java.io.ByteArrayOutputStream();
    /** An interactive shell's {@code read} waiting for the next line typed, or null. */
    private java.util.function.Consumer<String> lineWaiter;
    private final StringBuilder line = new StringBuilder();
    private final Deque<String> pending = new ArrayDeque<>();
    private int escape;
    /** The terminal's size as the client last sent it (0 x 0 until it does, as a new pty's). */
    private int columns;
    private int rows;

    private ExecProcess(Container container, String argv0, boolean tty, Io io, Timer timer, Instant now) {
        this.container = container;
        this.io = io;
        this.timer = timer;
        this.tty = tty;
        this.argv0 = argv0;
        this.bash = argv0.endsWith("bash");
        this.files = container.files();
        this.env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        this.env.put("HOSTNAME", container.hostname());
        this.env.putAll(container.env());
        if (tty) this.env.put("TERM", "xterm");
        this.env.put("HOME", "/root");
        this.pid = 30 + NEXT_PID.getAndAdd(7) % 32000;
        this.started = now;
        if (!files.exists("/proc/1/cmdline")) files.writeFile("/proc/1/cmdline", mainCommandLine(), 0444, container.startedAt());
    }

    /** PID 1's /proc/1/cmdline: its arguments, each ended by a NUL, or the title it gave itself (nginx's master). */
    private byte[] mainCommandLine() {
        List<String> command = mainCommand();
        String text;
        if (command.isEmpty() || command.get(0).endsWith("nginx") && container.image().programs().containsKey("nginx")) {
            text = mainProcesses().get(0) + "\0";
        } else {
            text = String.join("\0", command) + "\0";
        }
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Starts {@code argv} in the container: it runs at once (its output and end reported to {@code io}); an
     * interactive shell waits for input.
     */
    public static ExecProcess start(Container container, List<String> argv, boolean stdin, boolean tty, Io io, Timer timer,
                                    Instant now) {
        ExecProcess p = new ExecProcess(container, argv.isEmpty() ? "" : argv.get(0), tty, io, timer, now);
        p.begin(argv, stdin);
        return p;
    }

    private void begin(List<String> argv, boolean stdin) {
        hasStdin = stdin;
        String name = argv.get(0);
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (base.equals("timeout") && exists(base)) {
            // PROG replaces timeout in this process (an interactive shell stays one); a watcher signals it later
            Timeout t = Timeout.parse(argv.subList(1, argv.size()));
            if (t.error() != null) {
                processErr.text(t.error());
                finish(1);
                return;
            }
            String program = t.command().get(0);
            if (!exists(program.substring(program.lastIndexOf('/') + 1))) {
                processErr.text(Timeout.cannotExecute(program));
                finish(127);
                return;
            }
            watch(t, () -> !ended, signal -> {
                if (interactive && (signal == 2 || signal == 3 || signal == 15)) return false; // ash ignores them
                if (running != null) running.run();
                running = null;
                finish(128 + signal);
                return true;
            });
            begin(t.command(), stdin);
            return;
        }
        if (!exists(base)) {
            ended = true;
            io.failed("failed to exec in container: failed to start exec \"" + HexFormat.of().formatHex(randomBytes())
                    + "\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"" + name
                    + "\": " + (name.contains("/") ? "stat " + name + ": no such file or directory" : "executable file not found in $PATH")
                    + ": unknown");
            return;
        }
        boolean isShell = base.equals("sh") || base.equals("bash") || base.equals("ash") || base.equals("dash");
        if (isShell && argv.subList(1, argv.size()).stream().allMatch(a -> a.startsWith("-") && !a.equals("-c"))) {
            interactive = true;
            if (!stdin) {
                finish(0); // a shell without input reads end-of-file at once
                return;
            }
            shell = new Interpreter(new Host(), Dialect.of(name, container.image().bash()), name, env, cwd, tty,
                    processOut, processErr, null, code -> {
                        if (tty && bash) io.stdout("exit\r\n");
                        running = null;
                        finish(code);
                    });
            mainShell = shell;
            prompt();
            return;
        }
        run(new ArrayList<>(argv), new Sink(), this::finish);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private boolean exists(String base) {
        Image image = container.image();
        if (image.programs().containsKey(base)) return true;
        if (base.equals("bash") || base.equals("curl")) return image.bash(); // Debian-based images (nginx) have curl
        if (image.shell() && !image.bash() && BUSYBOX_APPLETS.contains(base)) return true;
        return image.shell() && UTILITIES.contains(base) && !(base.equals("ps") && image.bash()); // Debian's images lack procps
    }

    /** The client's terminal changed size: the container's pty takes it (TIOCSWINSZ), as the kubelet's resize does. */
    public void resize(int columns, int rows) {
        if (!tty) return;
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * The terminal's size changed while an interactive shell waits at its prompt: BusyBox's line editor (ash, the
     * shell of busybox and alpine) redraws the prompt and the line typed so far on SIGWINCH; dash and bash do not.
     */
    public void terminalResized() {
        if (!tty || !interactive || ended || running != null || reader != null || bash || container.image().bash()) return;
        io.stdout("\r");
        prompt();
        io.stdout(line + "\u001b[J");
    }

    /** {@code stty size} (lines, then columns) on the exec's terminal; without one, stdin is not a tty. */
    private int stty(List<String> args, Sink out) {
        boolean gnu = container.image().bash(); // coreutils in Debian-based images, BusyBox's elsewhere
        if (!tty) {
            out.err(gnu ? "stty: 'standard input': Inappropriate ioctl for device\n" : "stty: standard input: Inappropriate ioctl for device\n");
            return 1;
        }
        if (args.equals(List.of("size"))) {
            out.out(rows + " " + columns + "\n");
            return 0;
        }
        out.err("stty: only 'stty size' is simulated\n"); // settings and modes are not
        return 1;
    }

    // ---------------------------------------------------------------- input (the pty's line discipline on a terminal)

    public void input(byte[] data) {
        if (ended) return;
        if (reader != null) {
            reader.data(data);
            return;
        }
        if (!interactive) {
            if (tty) {
                for (byte b : data) if (b == 0x03) interrupt();
            } else if (hasStdin && unread.size() + data.length <= MAX_UNREAD) {
                // nothing reads stdin right now (the script sleeps between two reads): it waits in the pipe, as a
                // pipe's buffer keeps what the writer sent, for the next reader
                unread.writeBytes(data);
            }
            return;
        }
        for (byte b : data) {
            char c = (char) (b & 0xFF);
            if (tty) typed(c);
            else if (c == '\n') lineEntered();
            else if (c != '\r') line.append(c);
        }
    }

    /** A key typed on the terminal: echoed, edited, or ending the line. */
    private void typed(char c) {
        if (escape > 0) { // an escape sequence (arrow keys): ignored
            escape = escape == 1 && c == '[' ? 2 : 0;
            return;
        }
        switch (c) {
            case '\r', '\n' -> {
                io.stdout("\r\n");
                lineEntered();
            }
            case 0x7f, 0x08 -> {
                if (!line.isEmpty()) {
                    line.setLength(line.length() - 1);
                    io.stdout("\b \b");
                }
            }
            case 0x03 -> {
                line.setLength(0);
                continued.setLength(0);
                pending.clear();
                io.stdout("^C");
                // a program that handles SIGINT ends by itself; what follows it on the line is not run
                if (interruptible != null && interruptible.interrupt()) return;
                io.stdout("\r\n");
                if (running != null) {
                    running.run();
                    running = null;
                }
                cancelTimers(); // every stage of a pipeline
                shell.status(130);
                prompt();
            }
            case 0x04 -> {
                if (line.isEmpty() && lineWaiter != null) { // end of input for the `read` waiting
                    answerRead(null);
                } else if (line.isEmpty() && running == null) {
                    if (bash) io.stdout("exit\r\n");
                    finish(shell.status());
                }
            }
            case 0x1b -> escape = 1;
            default -> {
                line.append(c);
                io.stdout(String.valueOf(c));
            }
        }
    }

    /**
     * Ctrl-C on the terminal of a command run without a shell: the pty echoes it and sends SIGINT to the process; a
     * program that handles it ends its own way (ping's statistics), anything else dies of it (130).
     */
    private void interrupt() {
        if (ended) return;
        io.stdout("^C");
        if (interruptible != null && interruptible.interrupt()) return;
        io.stdout("\r\n");
        if (running != null) running.run();
        running = null;
        finish(130);
    }

    /** Stdin reached its end: the shell reads what is left, then exits with its last status. */
    public void inputClosed() {
        stdinClosed = true;
        if (reader != null) {
            StdinReader r = reader;
            reader = null;
            r.end();
            return;
        }
        if (ended || !interactive) return;
        if (!line.isEmpty() && lineWaiter != null) { // a last line without its newline: read takes it and fails
            String text = line.toString();
            line.setLength(0);
            answerRead(text);
        }
        if (!line.isEmpty()) lineEntered();
        if (lineWaiter != null) answerRead(null); // the `read` waiting gets the end of its input
        if (running == null && pending.isEmpty()) finish(shell.status());
    }

    /**
     * A signal ({@code TERM}) sent to the process: true when its shell traps it (the trap's action runs), false when
     * it has no handler for it (a shell or a utility as a container's PID 1 then ignores SIGTERM, as the kernel does for
     * an init process without one).
     */
    public boolean signal(String signal) {
        return !ended && mainShell != null && mainShell.signal(signal);
    }

    /** The container's run ended: every process in it is killed. */
    public void containerEnded() {
        if (ended) return;
        if (running != null) running.run();
        cancelTimers();
        finish(137);
    }

    /** Runs {@code task} after {@code delay} as part of the running command (see {@link #pendingTimers}). */
    private Runnable startTimer(Duration delay, Runnable task) {
        return waitFor(resume -> timer.after(delay, resume), task);
    }

    /**
     * Runs {@code task} after a pause of the running command: once the client has taken the output it is behind on,
     * else after a millisecond; cancelled as a timer is (Ctrl-C, the end of the process).
     */
    private void pace(Runnable task) {
        if (ended) return;
        waitFor(resume -> io.whenCaughtUp(resume) ? () -> { } : timer.after(Duration.ofMillis(1), resume), task);
    }

    /**
     * A wait of the running command, among its {@link #pendingTimers}: {@code start} is given what resumes it and
     * returns what stops that; {@code task} runs once, on the resume, unless the wait was cancelled first.
     */
    private Runnable waitFor(java.util.function.Function<Runnable, Runnable> start, Runnable task) {
        boolean[] over = {false};
        Runnable[] cancel = new Runnable[1];
        Runnable stop = start.apply(() -> {
            if (over[0]) return;
            over[0] = true;
            pendingTimers.remove(cancel[0]);
            if (running == cancelTimers && pendingTimers.isEmpty()) running = null;
            task.run();
        });
        cancel[0] = () -> {
            over[0] = true;
            pendingTimers.remove(cancel[0]);
            stop.run();
        };
        pendingTimers.add(cancel[0]);
        running = cancelTimers;
        return cancel[0];
    }

    private void cancelTimers() {
        List<Runnable> pending = new ArrayList<>(pendingTimers);
        pendingTimers.clear();
        pending.forEach(Runnable::run);
    }

    private void lineEntered() {
        if (lineWaiter != null) { // a `read` of the command running takes the line, not the shell
            linesRead++;
            String text = line.toString();
            line.setLength(0);
            answerRead(text + "\n");
            return;
        }
        pending.add(line.toString());
        line.setLength(0);
        if (running == null) next();
    }

    private void next() {
        while (!ended && running == null && !pending.isEmpty()) {
            String text = pending.poll();
            linesRead++;
            if (continued.isEmpty()) continuedFrom = linesRead;
            continued.append(text).append('\n');
            if (Interpreter.incomplete(continued.toString()) && !stdinClosed) {
                if (tty) io.stdout("> ");
                continue;
            }
            text = continued.toString();
            continued.setLength(0);
            boolean[] sync = {true};
            boolean[] done = {false};
            shell.runLine(text, continuedFrom, status -> {
                done[0] = true;
                if (!sync[0] && !ended) {
                    running = null;
                    prompt();
                    next();
                }
            });
            sync[0] = false;
            if (!done[0]) return; // a sleep: the rest waits for it
            if (!ended) prompt();
        }
        if (!ended && stdinClosed && running == null && pending.isEmpty()) finish(shell.status());
    }

    private void prompt() {
        if (!tty || ended) return;
        String dir = shell.cwd().equals("/root") ? "~" : shell.cwd();
        io.stdout(bash ? "root@" + container.hostname() + ":" + dir + "# " : dir + " # ");
    }

    private void finish(int code) {
        if (ended) return;
        ended = true;
        if (watcher != null) watcher.run();
        watcher = null;
        io.exited(code);
    }

    // ---------------------------------------------------------------- scripts and commands

    /** Where a command's output goes and what it reads (after its redirections): the utilities' side of the shell. */
    private final class Sink implements Program.Output {
        final Output stdout;
        final Output stderr;
        /** What the command reads on stdin (a file, a here-document, a pipe's whole input), or null: see {@link #pipe}. */
        final byte[] input;
        /** The pipe a command that reads as the writer writes takes its stdin from; both null: the process's own stdin. */
        final Pipe.Reader pipe;

        /** The process's own streams. */
        Sink() {
            this(processOut, processErr, null, null);
        }

        Sink(Output stdout, Output stderr, byte[] input, Pipe.Reader pipe) {
            this.stdout = stdout;
            this.stderr = stderr;
            this.input = input;
            this.pipe = pipe;
        }

        @Override
        public void out(String text) {
            stdout.text(text);
        }

        /** Binary output (an archive): as is to the client, a file or a pipe. */
        void bytes(byte[] data) {
            if (data.length > 0) stdout.bytes(data);
        }

        @Override
        public void err(String text) {
            stderr.text(text);
        }

        /** Whether the output goes to the terminal itself (not a pipe, a file, or /dev/null). */
        boolean toTerminal() {
            return tty && stdout == processOut;
        }
    }

    /** The process's stdout: a terminal's turns newlines into CR LF; bytes go as they are. */
    private final Output processOut = new Output() {
        @Override
        public void text(String text) {
            write(text, false);
        }

        @Override
        public void bytes(byte[] data) {
            if (!ended) io.stdoutBytes(tty ? onlcr(data) : data);
        }
    };

    private final Output processErr = new Output() {
        @Override
        public void text(String text) {
            write(text, true);
        }

        @Override
        public void bytes(byte[] data) {
            write(new String(data, java.nio.charset.StandardCharsets.UTF_8), true);
        }
    };

    /** What a terminal's line discipline (onlcr) makes of bytes written to it: each newline a CR LF. */
    private static byte[] onlcr(byte[] data) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(data.length + 16);
        for (byte c : data) {
            if (c == '\n') b.write('\r');
            b.write(c);
        }
        return b.toByteArray();
    }

    /** Output to the client: a terminal has one stream and turns newlines into CR LF. */
    private void write(String text, boolean stderr) {
        if (ended) return;
        if (tty) io.stdout(text.replace("\n", "\r\n"));
        else if (stderr) io.stderr(text);
        else io.stdout(text);
    }

    /** The container as the shells in this process see it: its programs, its files, the process's timer. */
    private final class Host implements Interpreter.Host {
        @Override
        public boolean isProgram(String name) {
            return exists(name.substring(name.lastIndexOf('/') + 1)) && (!name.contains("/") || name.startsWith("/bin/")
                    || name.startsWith("/usr/bin/") || name.startsWith("/usr/local/bin/") || name.startsWith("/sbin/")
                    || name.startsWith("/usr/sbin/"));
        }

        @Override
        public boolean fileExists(String path) {
            return files.exists(path);
        }

        @Override
        public boolean isDirectory(String path) {
            return files.isDirectory(path);
        }

        @Override
        public List<String> list(String dir) {
            return files.list(dir);
        }

        @Override
        public byte[] read(String path) {
            return files.bytes(path);
        }

        @Override
        public Written write(String path, byte[] data, boolean append) {
            String p = ContainerFiles.normalize(path);
            if (!files.isDirectory(p.substring(0, Math.max(1, p.lastIndexOf('/'))))) return Written.NO_DIRECTORY;
            if (!files.room(data.length)) return Written.NO_SPACE;
            if (append) {
                files.append(p, data, timer.now());
            } else {
                ContainerFiles.Entry e = files.entry(p);
                files.writeFile(p, data, e == null ? 0644 : e.mode(), timer.now());
            }
            return Written.DONE;
        }

        @Override
        public Runnable after(Duration delay, Runnable task) {
            if (ended) return () -> { }; // a killed process's shell (a background loop) waits for nothing more
            return startTimer(delay, task);
        }

        @Override
        public void pause(Runnable task) {
            pace(task);
        }

        @Override
        public void run(List<String> argv, Interpreter.Context context, IntConsumer done) {
            cwd = context.cwd();
            env = context.env();
            Pipe.Reader pipe = context.stdinPipe();
            PipeUse use = pipe == null ? null : pipeUse(argv);
            if (use == PipeUse.NONE) { // the pipe is left to the next command that reads it
                ExecProcess.this.run(argv, new Sink(context.stdout(), context.stderr(), new byte[0], null), done);
                return;
            }
            if (use == PipeUse.WHOLE) {
                // a program that needs its whole input starts once the stage before it has ended
                String dir = cwd;
                Map<String, String> environment = env;
                pipe.readAll(all -> {
                    cwd = dir;
                    env = environment;
                    if (all == null) { // more than kubefake keeps of a pipe for one program (16 MiB)
                        context.stderr().text(argv.get(0) + ": standard input: File too large\n");
                        done.accept(1);
                        return;
                    }
                    ExecProcess.this.run(argv, new Sink(context.stdout(), context.stderr(), all, null), done);
                });
                return;
            }
            ExecProcess.this.run(argv, new Sink(context.stdout(), context.stderr(), context.stdin(), pipe), done);
        }

        @Override
        public int pid() {
            return pid;
        }

        @Override
        public void readLine(java.util.function.Consumer<String> line) {
            ExecProcess.this.readLine(line);
        }
    }

    /**
     * {@code sh -c SCRIPT [NAME [ARGS]]} or {@code sh FILE [ARGS]}: a shell of the image's kind runs it with the command's
     * streams; a shell without either reads its stdin, which a command in a script does not get here: it ends at once.
     */
    private void shell(List<String> argv, Sink out, IntConsumer done) {
        String name = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        int c = args.indexOf("-c");
        Dialect dialect = Dialect.of(name, container.image().bash());
        Interpreter sh = out.pipe != null ? new Interpreter(new Host(), dialect, name, env, cwd, out.stdout, out.stderr, out.pipe, done)
                : new Interpreter(new Host(), dialect, name, env, cwd, false, out.stdout, out.stderr, out.input, done);
        if (mainShell == null) mainShell = sh; // the first shell is the process's own: later ones are its children
        if (c >= 0) {
            if (c + 1 >= args.size()) {
                out.err(name + ": -c requires an argument\n");
                done.accept(2);
                return;
            }
            sh.runScript(args.get(c + 1), args.subList(c + 2, args.size()));
            return;
        }
        List<String> operands = args.stream().dropWhile(a -> a.startsWith("-")).toList();
        if (operands.isEmpty()) {
            done.accept(0);
            return;
        }
        byte[] script = files.bytes(resolve(operands.get(0)));
        if (script == null) {
            String file = operands.get(0);
            out.err(switch (dialect) {
                case ASH -> name + ": can't open '" + file + "': No such file or directory\n";
                case DASH -> name + ": 0: cannot open " + file + ": No such file\n";
                case BASH -> name + ": " + file + ": No such file or directory\n";
            });
            done.accept(dialect == Dialect.DASH ? 2 : 127);
            return;
        }
        sh.runFile(operands.get(0), new String(script, java.nio.charset.StandardCharsets.UTF_8), operands.subList(1, operands.size()));
    }

    private void run(List<String> argv, Sink out, IntConsumer done) {
        String name = argv.get(0);
        String base = name.substring(name.lastIndexOf('/') + 1);
        List<String> args = argv.subList(1, argv.size());
        Program program = program(base);
        if (program != null) {
            start(program, args, out, done);
            return;
        }
        switch (base) {
            case "echo" -> {
                List<String> words = new ArrayList<>(args);
                boolean newline = true;
                while (!words.isEmpty() && (words.get(0).equals("-n") || words.get(0).equals("-e"))) {
                    if (words.remove(0).equals("-n")) newline = false;
                }
                out.out(String.join(" ", words) + (newline ? "\n" : ""));
                done.accept(0);
            }
            case "printf" -> {
                if (args.isEmpty()) {
                    out.err("printf: usage: printf [-v var] format [arguments]\n");
                    done.accept(2);
                    return;
                }
                String text = args.get(0).replace("\\n", "\n").replace("\\t", "\t");
                for (String a : args.subList(1, args.size())) text = text.replaceFirst("%[sd]", java.util.regex.Matcher.quoteReplacement(a));
                out.out(text);
                done.accept(0);
            }
            case "sleep" -> sleep(args, out, done);
            case "timeout" -> timeout(args, out, done);
            case "true", ":" -> done.accept(0);
            case "false" -> done.accept(1);
            case "hostname" -> {
                if (args.contains("-i")) { // the addresses the resolver finds for the name: /etc/hosts has the pod's IP
                    String ip = new PodResolver(files, container.network()).resolve(container.hostname());
                    if (ip == null) {
                        out.err("hostname: " + container.hostname() + ": Name or service not known\n");
                        done.accept(1);
                        return;
                    }
                    out.out(ip + "\n");
                } else {
                    out.out(container.hostname() + "\n");
                }
                done.accept(0);
            }
            case "stty" -> done.accept(stty(args, out));
            case "pwd" -> {
                out.out(cwd + "\n");
                done.accept(0);
            }
            case "id" -> {
                out.out(container.image().bash() ? "uid=0(root) gid=0(root) groups=0(root)\n"
                        : "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
                done.accept(0);
            }
            case "whoami" -> {
                out.out("root\n");
                done.accept(0);
            }
            case "env", "printenv" -> {
                StringBuilder b = new StringBuilder();
                int status = 0;
                if (base.equals("printenv") && !args.isEmpty()) {
                    // printenv NAME...: the values alone; 1 when one is not set
                    for (String a : args) {
                        if (env.containsKey(a)) b.append(env.get(a)).append('\n');
                        else status = 1;
                    }
                } else {
                    env.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
                }
                out.out(b.toString());
                done.accept(status);
            }
            case "date" -> {
                out.out(DATE.format(timer.now()) + "\n");
                done.accept(0);
            }
            case "uname" -> {
                out.out(args.contains("-a") ? "Linux " + container.hostname() + " 5.14.0-503.14.1.el9_5.x86_64 #1 SMP PREEMPT_DYNAMIC Fri Nov 15 12:04:32 UTC 2024 x86_64 GNU/Linux\n"
                        : args.contains("-r") ? "5.14.0-503.14.1.el9_5.x86_64\n" : "Linux\n");
                done.accept(0);
            }
            case "clear" -> {
                out.out("\033[H\033[2J\033[3J");
                done.accept(0);
            }
            case "ls" -> done.accept(ls(args, out));
            case "cat" -> {
                if (!args.isEmpty() && !args.equals(List.of("-"))) {
                    done.accept(cat(args, out));
                } else if (out.pipe != null) {
                    copyAsItComes(out.pipe, out, out::bytes, done);
                } else if (out.input != null) {
                    out.bytes(out.input);
                    done.accept(0);
                } else {
                    readStdin(out::bytes, () -> done.accept(0));
                }
            }
            case "ps" -> {
                out.out(ps(args));
                done.accept(0);
            }
            case "kill" -> done.accept(kill(args, out));
            case "tar" -> tar(args, out, done);
            case "curl" -> {
                Network.Curl r = container.network().curl(List.copyOf(args));
                Runnable answer = () -> {
                    if (r.savedTo() != null) {
                        files.writeFile(r.savedTo().startsWith("/") ? r.savedTo() : cwd + "/" + r.savedTo(), r.saved(), 0644,
                                timer.now());
                    }
                    out.out(r.stdout());
                    out.err(r.stderr());
                    done.accept(r.status());
                };
                if (r.took().isZero()) {
                    answer.run();
                } else {
                    running = timer.after(r.took(), () -> {
                        running = null;
                        answer.run();
                    });
                }
            }
            case "test", "[" -> done.accept(test(base.equals("[") && !args.isEmpty() ? args.subList(0, args.size() - 1) : args));
            case "grep", "head", "tail", "wc", "sort" -> { // input from a pipe, a file (< FILE, or an operand), else nothing to read
                if (out.pipe != null && base.equals("head")) {
                    headAsItComes(out.pipe, Filters.count(args), out, done);
                    return;
                }
                if (out.pipe != null && base.equals("tail")) {
                    tailAsItComes(out.pipe, Filters.count(args), out, done);
                    return;
                }
                if (out.pipe != null && base.equals("wc")) {
                    Filters.Counts counts = new Filters.Counts();
                    readAsItComes(out.pipe, counts::add, () -> {
                        out.out(counts.format(args, null));
                        done.accept(0);
                    });
                    return;
                }
                if (out.pipe != null) { // grep without options that need the whole input
                    grepAsItComes(args, out.pipe, out, done);
                    return;
                }
                if (base.equals("tail") && (args.contains("-f") || args.contains("-F"))) { // follows its file until killed
                    List<String> once = new ArrayList<>(argv);
                    once.removeAll(List.of("-f", "-F"));
                    String file = fileOperand(once.subList(1, once.size()));
                    byte[] read = file == null ? null : files.bytes(resolve(file));
                    if (read != null && read.length > 0) {
                        once.remove(once.lastIndexOf(file));
                        out.out(Filters.apply(once, new String(read, java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    running = () -> { };
                    return;
                }
                if (!base.equals("wc") && !base.equals("sort")) {
                    String file = base.equals("grep") ? Grep.fileOperand(args) : fileOperand(args);
                    if (file != null) {
                        byte[] read = files.bytes(resolve(file));
                        if (read == null) {
                            out.err(base.equals("grep") ? "grep: " + file + ": No such file or directory\n"
                                    : base + ": cannot open '" + file + "' for reading: No such file or directory\n");
                            done.accept(base.equals("grep") ? 2 : 1);
                            return;
                        }
                        List<String> filter = new ArrayList<>(argv);
                        filter.remove(filter.lastIndexOf(file));
                        String content = new String(read, java.nio.charset.StandardCharsets.UTF_8);
                        if (base.equals("grep")) {
                            grep(filter.subList(1, filter.size()), content, out, done);
                            return;
                        }
                        out.out(Filters.apply(filter, content));
                        done.accept(0);
                        return;
                    }
                }
                String input = out.input == null ? "" : new String(out.input, java.nio.charset.StandardCharsets.UTF_8);
                List<String> operands = args.stream().filter(a -> !a.startsWith("-")).toList();
                String text;
                boolean missing = false;
                if (base.equals("wc") && !operands.isEmpty()) {
                    StringBuilder counted = new StringBuilder();
                    for (String f : operands) {
                        byte[] raw = files.bytes(resolve(f));
                        if (raw == null) {
                            out.err("wc: " + f + ": No such file or directory\n");
                            missing = true;
                            continue;
                        }
                        counted.append(new Filters.Counts().add(raw).format(args, f));
                    }
                    text = counted.toString();
                } else if (base.equals("wc")) { // bytes as read: a binary file's size, not its text's
                    text = new Filters.Counts().add(out.input == null ? new byte[0] : out.input).format(args, null);
                } else if (base.equals("grep")) {
                    grep(args, input, out, done);
                    return;
                } else {
                    text = Filters.apply(argv, input);
                }
                out.out(text);
                done.accept(missing ? 1 : 0);
            }
            case "tr" -> { // stdin from a pipe or a redirection, else nothing to read
                if (out.pipe != null) {
                    if (Tr.run(args, new byte[0]) == null) {
                        out.err(Tr.USAGE);
                        done.accept(1);
                    } else {
                        int[] last = {-1}; // what -s squeezes goes on from one chunk to the next
                        copyAsItComes(out.pipe, out, data -> out.bytes(Tr.run(args, data, last)), done);
                    }
                    return;
                }
                byte[] result = Tr.run(args, out.input == null ? new byte[0] : out.input);
                if (result == null) out.err(Tr.USAGE);
                else out.bytes(result);
                done.accept(result == null ? 1 : 0);
            }
            case "mkdir" -> done.accept(mkdir(args, out));
            case "touch" -> done.accept(touch(args, out));
            case "rm" -> done.accept(rm(args, out));
            case "sh", "bash", "ash", "dash" -> shell(argv, out, done);
            case "seq" -> {
                Seq numbers = Seq.parse(args, container.image().bash(), out::err);
                if (numbers == null) done.accept(1);
                else produce(out, numbers::chunk, done);
            }
            case "yes" -> yes(args.isEmpty() ? "y" : String.join(" ", args), out, done);
            default -> { // a program of the image: it starts and, for a server, runs until stopped
                Timeline t = container.image().programs().getOrDefault(base, Behaviour.FOREVER).timeline();
                t.output().forEach(l -> {
                    if (l.stream() == Timeline.Stream.STDERR) out.err(l.text() + "\n");
                    else out.out(l.text() + "\n");
                });
                if (!t.exits()) {
                    running = () -> { };
                    return;
                }
                done.accept(t.exitCode());
            }
        }
    }

    /** How a program reads a pipe given to it as its stdin. */
    private enum PipeUse {
        /** Not at all: the pipe is left to the next command that reads it. */
        NONE,
        /** As the writer writes, so that it works on an endless producer's output. */
        AS_IT_COMES,
        /** All of it, once the writer has ended, before it answers. */
        WHOLE
    }

    /**
     * How a program reads a pipe as its stdin: cat, tr, head, grep (unless it counts, numbers or only tells whether a
     * line matched) and a shell running a script as it comes; wc, sort, tail, grep's other forms and a shell reading
     * its script from stdin the whole of it; a program given a file, or one that reads no stdin, not at all.
     */
    private static PipeUse pipeUse(List<String> argv) {
        if (argv.isEmpty()) return PipeUse.NONE;
        String base = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        List<String> args = argv.subList(1, argv.size());
        return switch (base) {
            case "cat" -> args.isEmpty() || args.equals(List.of("-")) ? PipeUse.AS_IT_COMES : PipeUse.NONE;
            case "tr" -> PipeUse.AS_IT_COMES;
            case "head" -> fileOperand(args) == null ? PipeUse.AS_IT_COMES : PipeUse.NONE;
            case "grep" -> Grep.fileOperand(args) != null ? PipeUse.NONE
                    : args.stream().noneMatch(a -> a.startsWith("--")
                            ? !GREP_LINE_BY_LINE.contains(a) && !a.startsWith("--color")
                            : a.startsWith("-") && a.chars().anyMatch(c -> c == 'c' || c == 'n' || c == 'q' || c == 'm'))
                    ? PipeUse.AS_IT_COMES : PipeUse.WHOLE;
            case "sh", "bash", "ash", "dash" -> args.contains("-c") ? PipeUse.AS_IT_COMES : PipeUse.WHOLE;
            case "wc" -> args.stream().allMatch(a -> a.startsWith("-")) ? PipeUse.AS_IT_COMES : PipeUse.NONE;
            case "sort" -> sortReadsStdin(args) ? PipeUse.WHOLE : PipeUse.NONE;
            case "tail" -> fileOperand(args) == null ? PipeUse.AS_IT_COMES : PipeUse.NONE;
            case "timeout" -> { // BusyBox's and coreutils': its PROG runs in its place, with its stdin
                Timeout t = Timeout.parse(args);
                yield t.error() == null ? pipeUse(t.command()) : PipeUse.NONE;
            }
            default -> PipeUse.NONE;
        };
    }

    /** grep's long options that leave each line's answer to the line alone. */
    private static final java.util.Set<String> GREP_LINE_BY_LINE = java.util.Set.of("--ignore-case", "--invert-match",
            "--word-regexp", "--line-regexp", "--extended-regexp", "--fixed-strings", "--basic-regexp", "--no-messages");

    /**
     * After a filter reading a pipe wrote: when it writes into a pipe whose reader has gone, it dies of SIGPIPE (141),
     * so that its own reader's end reaches the stages before it; else {@code readMore} runs, once the pipe it writes
     * into has room.
     */
    private void goOn(Sink out, int wrote, Runnable readMore, IntConsumer done) {
        if (out.stdout.failed()) {
            done.accept(1);
        } else if (out.stdout instanceof Pipe.Writer w) {
            if (w.broken()) done.accept(141);
            else w.whenDrained(readMore);
        } else if (wrote >= 4096) { // elsewhere a pipe's worth a millisecond, and to a client that is behind once it caught up
            pace(readMore);
        } else {
            readMore.run();
        }
    }

    /** {@code yes}: its line over and over, a few KiB at a time, until its reader goes or the session ends. */
    private void yes(String line, Sink out, IntConsumer done) {
        String chunk = (line + "\n").repeat(Math.max(1, 4096 / (line.length() + 1)));
        produce(out, () -> chunk, done);
    }

    /** What {@link #produce} writes before it pauses, when it does not write into a pipe. */
    private static final int PRODUCED_PER_PAUSE = 64 * 1024;

    /**
     * A program whose output is long or endless ({@code yes}, {@code seq}), written a chunk at a time as the real one
     * writes it: into a pipe as fast as its reader takes it (SIGPIPE, 141, once the reader has gone), elsewhere as
     * {@link #goOn} paces it; status 0 after the last chunk ({@code chunks} gives null).
     */
    private void produce(Sink out, java.util.function.Supplier<String> chunks, IntConsumer done) {
        Runnable[] write = new Runnable[1];
        write[0] = () -> {
            int wrote = 0;
            while (true) {
                String chunk = chunks.get();
                if (chunk == null) {
                    done.accept(0);
                    return;
                }
                out.out(chunk);
                wrote += chunk.length();
                if (out.stdout instanceof Pipe.Writer || wrote >= PRODUCED_PER_PAUSE || out.stdout.failed()) {
                    goOn(out, wrote, write[0], done);
                    return;
                }
            }
        };
        write[0].run();
    }

    /** Whether {@code sort ARGS} reads its stdin: no file among its operands (the values of -k, -t, -o, -S, -T are none). */
    private static boolean sortReadsStdin(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (List.of("-k", "-t", "-o", "-S", "-T").contains(a)) i++;
            else if (!a.startsWith("-") || a.equals("-")) return a.equals("-");
        }
        return true;
    }

    /** Hands each chunk the writer writes to {@code data} as it comes; at the end, status 0. */
    private void copyAsItComes(Pipe.Reader pipe, Sink out, java.util.function.Consumer<byte[]> data, IntConsumer done) {
        pipe.readSome(new java.util.function.Consumer<>() {
            @Override
            public void accept(byte[] chunk) {
                if (chunk == null) {
                    done.accept(0);
                    return;
                }
                data.accept(chunk);
                goOn(out, chunk.length, () -> pipe.readSome(this), done);
            }
        });
    }

    /** {@code head}: the first lines as they come; after the last one it ends (a writer still writing gets SIGPIPE). */
    private void headAsItComes(Pipe.Reader pipe, int lines, Sink out, IntConsumer done) {
        if (lines <= 0) {
            done.accept(0);
            return;
        }
        int[] left = {lines};
        pipe.readLine(new java.util.function.Consumer<>() {
            @Override
            public void accept(String line) {
                if (line == null) {
                    done.accept(0);
                    return;
                }
                out.out(line);
                if (--left[0] == 0 || !line.endsWith("\n")) done.accept(0);
                else goOn(out, line.length(), () -> pipe.readLine(this), done);
            }
        });
    }

    /**
     * {@code tail}: keeps the last lines of a pipe as they come and prints them at the end; lines it must keep beyond
     * what a program that needs its whole input may hold ({@link Pipe#WHOLE_INPUT_MAX}) fail as such a program does.
     */
    private void tailAsItComes(Pipe.Reader pipe, int lines, Sink out, IntConsumer done) {
        LastLines last = new LastLines(lines);
        pipe.readSome(new java.util.function.Consumer<>() {
            @Override
            public void accept(byte[] chunk) {
                if (chunk == null) {
                    byte[] text = last.lines();
                    out.bytes(text);
                    if (text.length > 0 && text[text.length - 1] != '\n') out.out("\n");
                    done.accept(0);
                } else if (!last.add(chunk, Pipe.WHOLE_INPUT_MAX)) {
                    pipe.close();
                    out.err("tail: standard input: File too large\n");
                    done.accept(1);
                } else {
                    pipe.readSome(this);
                }
            }
        });
    }

    /**
     * The last {@code n} lines of an input read a chunk at a time (a line at its end without a newline counts), in a
     * buffer trimmed to them once it has doubled since the last trim, so that a chunk costs what it adds.
     */
    private static final class LastLines {
        private final int n;
        private byte[] kept = new byte[4096];
        private int length;
        private int trimmedAt;

        LastLines(int n) {
            this.n = n;
        }

        /** Adds a chunk; false when the lines to keep, trimmed, are more than {@code max} bytes. */
        boolean add(byte[] chunk, int max) {
            if (n <= 0) return true;
            if (length + chunk.length > kept.length) kept = java.util.Arrays.copyOf(kept, Math.max(kept.length * 2, length + chunk.length));
            System.arraycopy(chunk, 0, kept, length, chunk.length);
            length += chunk.length;
            if (length > 2 * trimmedAt + 65536) {
                int from = start();
                System.arraycopy(kept, from, kept, 0, length - from);
                length -= from;
                trimmedAt = length;
                return length <= max;
            }
            return true;
        }

        byte[] lines() {
            return java.util.Arrays.copyOfRange(kept, start(), length);
        }

        /** Where the last {@code n} lines start. */
        private int start() {
            if (n <= 0) return length;
            int i = length - 1;
            if (i >= 0 && kept[i] == '\n') i--; // the last line's own newline
            for (int found = 0; i >= 0; i--) {
                if (kept[i] == '\n' && ++found == n) return i + 1;
            }
            return 0;
        }
    }

    /** Hands each chunk of a pipe to {@code data} as it comes, writing nothing meanwhile; {@code end} at its end. */
    private static void readAsItComes(Pipe.Reader pipe, java.util.function.Consumer<byte[]> data, Runnable end) {
        pipe.readSome(new java.util.function.Consumer<>() {
            @Override
            public void accept(byte[] chunk) {
                if (chunk == null) {
                    end.run();
                    return;
                }
                data.accept(chunk);
                pipe.readSome(this);
            }
        });
    }

    /** {@code grep PATTERN} over a pipe: each line as it comes; the status says whether any matched. */
    private void grepAsItComes(List<String> args, Pipe.Reader pipe, Sink out, IntConsumer done) {
        boolean[] matched = {false};
        pipe.readLine(new java.util.function.Consumer<>() {
            @Override
            public void accept(String line) {
                Grep.Result r = Grep.run(args, line == null ? "" : line);
                if (line == null || r.status() == 2) { // the end, or a bad pattern (told once, as grep does before reading)
                    if (!r.error().isEmpty()) out.err(r.error());
                    done.accept(r.status() == 2 ? 2 : matched[0] ? 0 : 1);
                    return;
                }
                out.out(r.output());
                matched[0] |= r.status() == 0;
                goOn(out, r.output().length(), () -> pipe.readLine(this), done);
            }
        });
    }

    private static void grep(List<String> args, String input, Sink out, IntConsumer done) {
        Grep.Result r = Grep.run(args, input);
        out.out(r.output());
        if (!r.error().isEmpty()) out.err(r.error());
        done.accept(r.status());
    }

    /** The file {@code head [-n N] FILE} or {@code tail FILE} reads, or null (its stdin). */
    private static String fileOperand(List<String> args) {
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-n") || a.equals("-e")) i++;
            else if (!a.startsWith("-")) operands.add(a);
        }
        return operands.size() == 1 ? operands.get(0) : null;
    }

    /** The image's program of that name that runs as its own class, or null (the shell's utilities, the catalogue's programs). */
    private Program program(String base) {
        boolean busybox = !container.image().bash();
        return switch (base) {
            case "ping" -> busybox ? new Ping() : null;
            case "nslookup" -> busybox ? new Nslookup() : null;
            case "wget" -> busybox ? new Wget(cwd, tty, columns) : null;
            case "nc" -> busybox ? new Netcat() : null;
            case "ip", "ifconfig", "netstat" -> busybox ? new NetworkViews(base) : null;
            case "df", "free", "uptime" -> busybox ? new SystemViews(base) : null;
            case "nginx" -> container.image().programs().containsKey("nginx") ? new NginxCommand(pid) : null;
            default -> null;
        };
    }

    /** Runs a program: while it goes on, the exec's end kills it and Ctrl-C interrupts it. */
    private void start(Program program, List<String> args, Sink out, IntConsumer done) {
        boolean[] finished = {false};
        Program.Running r = program.run(new Program.Context(container, timer), List.copyOf(args), out, status -> {
            if (finished[0]) return;
            finished[0] = true;
            running = null;
            interruptible = null;
            done.accept(status);
        });
        if (r != null && !finished[0]) {
            running = r::kill;
            interruptible = r;
        }
    }

    /** Bytes on stdin for a command that reads them, then their end. */
    private interface StdinReader {
        void data(byte[] bytes);

        void end();
    }

    /**
     * Hands the process's stdin to a command that reads it ({@code cat -}) until it ends; a process without stdin, or
     * an interactive shell (whose stdin is its command lines), gives it end-of-file at once.
     */
    private void readStdin(java.util.function.Consumer<byte[]> data, Runnable end) {
        if (!interactive && unread.size() > 0) data.accept(takeUnread());
        if (interactive || !hasStdin || stdinClosed) {
            end.run();
            return;
        }
        running = () -> reader = null;
        reader = new StdinReader() {
            @Override
            public void data(byte[] bytes) {
                data.accept(bytes);
            }

            @Override
            public void end() {
                running = null;
                end.run();
            }
        };
    }

    /**
     * A shell's {@code read} of the process's stdin: the next line once it has arrived (bytes after it stay for the
     * next reader, as a read(2) that takes a byte at a time leaves them in the pipe). An interactive shell's read takes
     * the next line typed; a process without stdin reads its end at once.
     */
    private void readLine(java.util.function.Consumer<String> line) {
        if (interactive) {
            if (!pending.isEmpty()) {
                linesRead++; // the shell counts the lines it read as data too (its messages' line numbers)
                line.accept(pending.poll() + "\n");
            } else if (stdinClosed) {
                line.accept(null);
            } else {
                lineWaiter = line;
                running = () -> lineWaiter = null;
            }
            return;
        }
        String whole = nextLine();
        if (whole != null) {
            line.accept(whole);
            return;
        }
        readStdin(bytes -> { // until a whole line has come: the rest stays unread
            unread.writeBytes(bytes);
            String next = nextLine();
            if (next == null) return;
            reader = null;
            running = null;
            line.accept(next);
        }, () -> {
            byte[] rest = takeUnread();
            line.accept(rest.length == 0 ? null : new String(rest, java.nio.charset.StandardCharsets.UTF_8));
        });
    }

    /** The interactive shell's {@code read} that waits gets {@code text} (null: the end of input). */
    private void answerRead(String text) {
        java.util.function.Consumer<String> waiting = lineWaiter;
        lineWaiter = null;
        running = null;
        waiting.accept(text);
    }

    /** The first whole line of what stdin sent unread (taken from it), or null when there is none yet. */
    private String nextLine() {
        byte[] bytes = unread.toByteArray();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            unread.reset();
            unread.write(bytes, i + 1, bytes.length - i - 1);
            return new String(bytes, 0, i + 1, java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    private byte[] takeUnread() {
        byte[] bytes = unread.toByteArray();
        unread.reset();
        return bytes;
    }

    private int mkdir(List<String> args, Sink out) {
        boolean parents = args.contains("-p");
        int status = 0;
        for (String a : args) {
            if (a.startsWith("-")) continue;
            String path = resolve(a);
            String parent = ContainerFiles.normalize(path + "/..");
            if (files.exists(path) && (!parents || !files.isDirectory(path))) {
                out.err("mkdir: cannot create directory '" + a + "': File exists\n");
                status = 1;
            } else if (!parents && !files.isDirectory(parent)) {
                out.err("mkdir: cannot create directory '" + a + "': No such file or directory\n");
                status = 1;
            } else {
                files.mkdirs(path, timer.now());
            }
        }
        return status;
    }

    /** {@code touch FILE...}: an empty file made where none is, a file's time set to now. */
    private int touch(List<String> args, Sink out) {
        int status = 0;
        for (String a : args) {
            if (a.startsWith("-")) continue;
            String path = ContainerFiles.normalize(resolve(a));
            ContainerFiles.Entry e = files.entry(path);
            if (e != null && e.directory()) continue;
            if (!files.isDirectory(path.substring(0, Math.max(1, path.lastIndexOf('/'))))) {
                out.err(container.image().bash() ? "touch: cannot touch '" + a + "': No such file or directory\n"
                        : "touch: " + a + ": No such file or directory\n");
                status = 1;
                continue;
            }
            files.writeFile(path, e == null ? new byte[0] : e.content(), e == null ? 0644 : e.mode(), timer.now());
        }
        return status;
    }

    private int rm(List<String> args, Sink out) {
        boolean force = args.stream().anyMatch(a -> a.startsWith("-") && a.contains("f"));
        boolean recursive = args.stream().anyMatch(a -> a.startsWith("-") && (a.contains("r") || a.contains("R")));
        int status = 0;
        for (String a : args) {
            if (a.startsWith("-")) continue;
            String path = resolve(a);
            if (!files.exists(path)) {
                if (!force) {
                    out.err("rm: cannot remove '" + a + "': No such file or directory\n");
                    status = 1;
                }
            } else if (files.isDirectory(path) && !recursive) {
                out.err("rm: cannot remove '" + a + "': Is a directory\n");
                status = 1;
            } else {
                files.remove(path);
            }
        }
        return status;
    }

    /** Input beyond this is more than the container's writable layer takes. */
    private static final int MAX_ARCHIVE = 64 << 20;

    private void tar(List<String> args, Sink out, IntConsumer done) {
        Tar.Options o = Tar.Options.parse(args);
        Tar tar = new Tar(files, container.image().bash());
        Tar.Result usage = tar.usage(o);
        if (usage != null) {
            emit(usage, out, done);
            return;
        }
        boolean toStdout = o.file() == null || o.file().equals("-");
        if (o.mode() == 'c') {
            Tar.Result r = tar.create(o, cwd);
            if (toStdout) {
                emit(r, out, done);
                return;
            }
            out.err(r.notes());
            files.writeFile(o.file().startsWith("/") ? o.file() : cwd + "/" + o.file(), r.stdout(), 0644, timer.now());
            out.err(r.stderr());
            done.accept(r.status());
            return;
        }
        if (!toStdout) {
            byte[] archive = files.bytes(o.file().startsWith("/") ? o.file() : cwd + "/" + o.file());
            if (archive == null) {
                out.err(container.image().bash() ? "tar: " + o.file() + ": Cannot open: No such file or directory\n"
                        + "tar: Error is not recoverable: exiting now\n" : "tar: can't open '" + o.file() + "': No such file or directory\n");
                done.accept(container.image().bash() ? 2 : 1);
                return;
            }
            emit(tar.extract(o, cwd, archive, timer.now()), out, done);
            return;
        }
        if (interactive || !hasStdin || stdinClosed) { // nothing (more) to read: an empty archive
            emit(tar.extract(o, cwd, new byte[0], timer.now()), out, done);
            return;
        }
        java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
        boolean[] full = {false};
        running = () -> reader = null;
        reader = new StdinReader() {
            @Override
            public void data(byte[] bytes) {
                if (archive.size() + bytes.length > MAX_ARCHIVE) full[0] = true;
                else archive.writeBytes(bytes);
            }

            @Override
            public void end() {
                running = null;
                if (full[0]) {
                    out.err(container.image().bash() ? "tar: " + (o.directory() == null ? cwd : o.directory())
                            + ": Cannot write: No space left on device\ntar: Exiting with failure status due to previous errors\n"
                            : "tar: write error: No space left on device\n");
                    done.accept(container.image().bash() ? 2 : 1);
                    return;
                }
                emit(tar.extract(o, cwd, archive.toByteArray(), timer.now()), out, done);
            }
        };
    }

    private void emit(Tar.Result r, Sink out, IntConsumer done) {
        out.err(r.notes());
        out.bytes(r.stdout());
        out.err(r.stderr());
        done.accept(r.status());
    }

    /** {@code timeout} in a script: PROG runs as the shell would run it, and is killed if it outlasts its time. */
    private void timeout(List<String> args, Sink out, IntConsumer done) {
        Timeout t = Timeout.parse(args);
        if (t.error() != null) {
            out.err(t.error());
            done.accept(1);
            return;
        }
        String program = t.command().get(0);
        if (!exists(program.substring(program.lastIndexOf('/') + 1))) {
            out.err(Timeout.cannotExecute(program));
            done.accept(127);
            return;
        }
        boolean[] over = {false};
        Runnable stop = watchFor(t, () -> !over[0], signal -> {
            over[0] = true;
            if (running != null) running.run();
            running = null;
            interruptible = null;
            done.accept(128 + signal);
            return true;
        });
        run(new ArrayList<>(t.command()), out, status -> {
            if (over[0]) return;
            over[0] = true;
            stop.run();
            done.accept(status);
        });
    }

    /** Starts the watcher of the process's own program under {@code timeout}; {@link #finish} stops it. */
    private void watch(Timeout t, java.util.function.BooleanSupplier alive, java.util.function.IntPredicate signal) {
        watcher = watchFor(t, alive, signal);
    }

    /**
     * timeout's watcher: after its time, while the program is {@code alive}, it sends the signal ({@code signal} says
     * whether the program died of it), then KILL after the kill time if one is set. Returns what stops it.
     */
    private Runnable watchFor(Timeout t, java.util.function.BooleanSupplier alive, java.util.function.IntPredicate signal) {
        Runnable[] pending = new Runnable[1];
        pending[0] = timer.after(t.after(), () -> {
            if (!alive.getAsBoolean() || signal.test(t.signal()) || t.killAfter() == null) return;
            pending[0] = timer.after(t.killAfter(), () -> {
                if (alive.getAsBoolean()) signal.test(Timeout.SIGKILL);
            });
        });
        return () -> pending[0].run();
    }

    private void sleep(List<String> args, Sink out, IntConsumer done) {
        if (args.isEmpty()) {
            out.err("sleep: missing operand\n");
            done.accept(1);
            return;
        }
        double seconds = 0;
        for (String a : args) {
            if (a.equals("infinity")) {
                running = () -> { };
                return;
            }
            try {
                seconds += Double.parseDouble(a.replaceAll("[smhd]$", "")) * switch (a.charAt(a.length() - 1)) {
                    case 'm' -> 60;
                    case 'h' -> 3600;
                    case 'd' -> 86400;
                    default -> 1;
                };
            } catch (NumberFormatException e) {
                out.err("sleep: invalid time interval '" + a + "'\n");
                done.accept(1);
                return;
            }
        }
        running = timer.after(Duration.ofNanos((long) (seconds * 1e9)), () -> {
            running = null;
            done.accept(0);
        });
    }

    private String resolve(String path) {
        if (path.equals("~")) return "/root";
        return path.startsWith("/") ? path : cwd + "/" + path;
    }

    private int ls(List<String> args, Sink out) {
        boolean longFormat = args.stream().anyMatch(a -> a.startsWith("-") && a.contains("l"));
        List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
        if (paths.isEmpty()) paths = List.of(cwd);
        int status = 0;
        for (String p : paths) {
            String path = resolve(p);
            if (files.isFile(path)) {
                out.out(longFormat ? longLine(path, p) : p + "\n");
            } else if (files.isDirectory(path)) {
                List<String> names = files.list(path);
                StringBuilder b = new StringBuilder();
                if (paths.size() > 1) b.append(p.equals(paths.get(0)) ? "" : "\n").append(p).append(":\n");
                if (longFormat) {
                    b.append("total ").append(names.size() * 4).append('\n');
                    for (String n : names) b.append(longLine(ContainerFiles.normalize(path + "/" + n), n));
                } else if (!names.isEmpty()) {
                    b.append(String.join(out.toTerminal() ? "  " : "\n", names)).append('\n');
                }
                out.out(b.toString());
            } else {
                out.err("ls: cannot access '" + p + "': No such file or directory\n");
                status = 2;
            }
        }
        return status;
    }

    private String longLine(String path, String name) {
        String when = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC).format(container.startedAt());
        ContainerFiles.Entry e = files.entry(path);
        if (e.directory()) return "d" + permissions(e.mode()) + " 2 root root 4096 " + when + " " + name + "\n";
        return String.format(Locale.ROOT, "-%s 1 root root %4d %s %s%n", permissions(e.mode()), e.content().length, when, name);
    }

    /** {@code rwxr-xr-x} for 0755. */
    private static String permissions(int mode) {
        StringBuilder b = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            b.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return b.toString();
    }

    private int cat(List<String> args, Sink out) {
        int status = 0;
        for (String p : args) {
            String path = resolve(p);
            if (files.isFile(path)) out.bytes(files.bytes(path));
            else if (files.isDirectory(path)) {
                out.err("cat: " + p + ": Is a directory\n");
                status = 1;
            } else { // BusyBox's cat, then coreutils'
                out.err(container.image().bash() ? "cat: " + p + ": No such file or directory\n"
                        : "cat: can't open '" + p + "': No such file or directory\n");
                status = 1;
            }
        }
        return status;
    }

    private int test(List<String> args) {
        if (!args.isEmpty() && args.get(0).equals("!") && args.size() > 1) {
            int inner = test(args.subList(1, args.size()));
            return inner == 2 ? 2 : 1 - inner;
        }
        if (args.size() == 2) {
            String path = resolve(args.get(1));
            return switch (args.get(0)) {
                case "-d" -> files.isDirectory(path) ? 0 : 1;
                case "-f" -> files.isFile(path) ? 0 : 1;
                case "-e" -> files.isFile(path) || files.isDirectory(path) ? 0 : 1;
                case "-z" -> args.get(1).isEmpty() ? 0 : 1;
                case "-n" -> args.get(1).isEmpty() ? 1 : 0;
                default -> 2;
            };
        }
        if (args.size() == 3) {
            return switch (args.get(1)) {
                case "=", "==" -> args.get(0).equals(args.get(2)) ? 0 : 1;
                case "!=" -> args.get(0).equals(args.get(2)) ? 1 : 0;
                case "-eq", "-ne", "-lt", "-le", "-gt", "-ge" -> {
                    long a;
                    long b;
                    try {
                        a = Long.parseLong(args.get(0).trim());
                        b = Long.parseLong(args.get(2).trim());
                    } catch (NumberFormatException e) {
                        yield 2;
                    }
                    boolean holds = switch (args.get(1)) {
                        case "-eq" -> a == b;
                        case "-ne" -> a != b;
                        case "-lt" -> a < b;
                        case "-le" -> a <= b;
                        case "-gt" -> a > b;
                        default -> a >= b;
                    };
                    yield holds ? 0 : 1;
                }
                default -> 2;
            };
        }
        return args.size() == 1 && !args.get(0).isEmpty() ? 0 : 1;
    }

    /** PID 1 and its children (the image's processes), this process and the ps being run. */
    private String ps(List<String> args) {
        List<String> main = mainProcesses();
        String self = argv0;
        String psLine = String.join(" ", List.of("ps")) + (args.isEmpty() ? "" : " " + String.join(" ", args));
        int psPid = pid + 6;
        String since = HOUR_MINUTE.format(container.startedAt());
        String now = HOUR_MINUTE.format(started);
        StringBuilder b = new StringBuilder();
        if (!container.image().bash()) { // busybox's ps
            b.append("PID   USER     TIME  COMMAND\n");
            for (int i = 0; i < main.size(); i++) b.append(String.format(Locale.ROOT, "%5d root      0:00 %s%n", i == 0 ? 1 : 28 + i, main.get(i)));
            // ps exec'd by itself is this process: one line
            if (!argv0.substring(argv0.lastIndexOf('/') + 1).equals("ps")) {
                b.append(String.format(Locale.ROOT, "%5d root      0:00 %s%n", pid, self));
            } else {
                psPid = pid;
            }
            b.append(String.format(Locale.ROOT, "%5d root      0:00 %s%n", psPid, psLine));
            return b.toString();
        }
        String terminal = tty ? "pts/0" : "?";
        boolean all = args.stream().anyMatch(a -> a.contains("e") || a.contains("a") || a.contains("x"));
        boolean full = args.stream().anyMatch(a -> a.startsWith("-") && a.contains("f"));
        boolean user = args.stream().anyMatch(a -> !a.startsWith("-") && a.contains("u"));
        if (user) {
            b.append("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
            for (int i = 0; i < main.size(); i++) {
                b.append(String.format(Locale.ROOT, "%-8s %7d  0.0  0.1  11404  7424 ?        %-4s %s   0:00 %s%n",
                        i == 0 ? "root" : childUser(), i == 0 ? 1 : 28 + i, i == 0 ? "Ss" : "S", since, main.get(i)));
            }
            b.append(String.format(Locale.ROOT, "root     %7d  0.0  0.0   4188  3420 %-8s Ss   %s   0:00 %s%n", pid, terminal, now, self));
            b.append(String.format(Locale.ROOT, "root     %7d  0.0  0.0   8088  4004 %-8s R+   %s   0:00 %s%n", psPid, terminal, now, psLine));
        } else if (full) {
            b.append("UID          PID    PPID  C STIME TTY          TIME CMD\n");
            for (int i = 0; i < main.size(); i++) {
                b.append(String.format(Locale.ROOT, "%-8s %7d %7d  0 %s ?        00:00:00 %s%n",
                        i == 0 ? "root" : childUser(), i == 0 ? 1 : 28 + i, i == 0 ? 0 : 1, since, main.get(i)));
            }
            b.append(String.format(Locale.ROOT, "root     %7d       0  0 %s %-8s 00:00:00 %s%n", pid, now, terminal, self));
            b.append(String.format(Locale.ROOT, "root     %7d %7d  0 %s %-8s 00:00:00 %s%n", psPid, pid, now, terminal, psLine));
        } else {
            b.append("    PID TTY          TIME CMD\n");
            if (all) {
                for (int i = 0; i < main.size(); i++) {
                    String cmd = main.get(i).split(" ")[0].replace(":", "");
                    b.append(String.format(Locale.ROOT, "%7d ?        00:00:00 %s%n", i == 0 ? 1 : 28 + i, cmd));
                }
            }
            b.append(String.format(Locale.ROOT, "%7d %-8s 00:00:00 %s%n", pid, terminal, self.substring(self.lastIndexOf('/') + 1)));
            b.append(String.format(Locale.ROOT, "%7d %-8s 00:00:00 ps%n", psPid, terminal));
        }
        return b.toString();
    }

    private String childUser() {
        return mainProcesses().get(0).startsWith("nginx") ? "nginx" : "root";
    }

    /** What PID 1 runs and the children it starts: the catalogue's process titles, else the command line. */
    private List<String> mainProcesses() {
        Image image = container.image();
        List<String> command = container.command();
        if (command.isEmpty()) {
            if (!image.run().processes().isEmpty()) return image.run().processes();
            String repo = image.reference().repository();
            return List.of(repo.substring(repo.lastIndexOf('/') + 1));
        }
        String program = command.get(0).substring(command.get(0).lastIndexOf('/') + 1);
        Behaviour b = image.programs().get(program);
        if (b != null && !b.processes().isEmpty()) return b.processes();
        List<String> main = mainCommand();
        if (main != command) return List.of(String.join(" ", main), String.join(" ", command)); // and timeout's watcher
        return List.of(String.join(" ", command));
    }

    /** What PID 1 runs: the container's command, or the PROG of BusyBox's timeout, which runs in its place. */
    private List<String> mainCommand() {
        List<String> command = container.command();
        if (command.isEmpty() || !command.get(0).substring(command.get(0).lastIndexOf('/') + 1).equals("timeout")
                || !exists("timeout")) return command;
        Timeout t = Timeout.parse(command.subList(1, command.size()));
        return t.error() == null ? t.command() : command;
    }

    private int kill(List<String> args, Sink out) {
        String signal = "TERM";
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-s") && i + 1 < args.size()) signal = args.get(++i);
            else if (a.startsWith("-") && a.length() > 1) signal = a.substring(1);
            else pids.add(a);
        }
        if (pids.isEmpty()) {
            out.err(bash ? "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n"
                    : "kill: usage: kill [-s SIGNAL | -SIGNAL] PID...\n");
            return 2;
        }
        signal = signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        int status = 0;
        int children = mainProcesses().size() - 1;
        for (String p : pids) {
            int target;
            try {
                target = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                out.err(bash ? "bash: kill: " + p + ": arguments must be process or job IDs\n" : "sh: can't kill pid " + p + ": No such process\n");
                status = 1;
                continue;
            }
            if (target == 1) {
                // init ignores what it has no handler for, SIGKILL included; the image's process handles TERM, INT, QUIT
                if (List.of("TERM", "15", "INT", "2", "QUIT", "3").contains(signal)) container.signalMain().run();
            } else if (target == pid) {
                finish(143);
            } else if (target < 29 || target > 28 + children) {
                out.err(bash ? "bash: kill: (" + target + ") - No such process\n" : "sh: can't kill pid " + target + ": No such process\n");
                status = 1;
            }
        }
        return status;
    }
}
