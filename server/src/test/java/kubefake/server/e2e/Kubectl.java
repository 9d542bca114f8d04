package kubefake.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubefake.testkit.KubectlBinaries;

/**
 * Runs one of the real kubectl binaries (found by {@link KubectlBinaries}: a test whose version is not installed is
 * reported skipped) against a kubeconfig, with its own HOME so discovery caches never leak between tests.
 */
public final class Kubectl {
    /** The versions the end-to-end tests cover: the oldest, the newest and two between. */
    public static final List<String> VERSIONS = List.of("1.27", "1.29", "1.31", "1.33");

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path home;
    private final String version;
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private List<String> launcher = List.of();

    public Kubectl(String version, Path kubeconfig, Path home) {
        this.version = version;
        this.binary = KubectlBinaries.require(version);
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    /** Sets an environment variable for the following runs (e.g. KUBE_EDITOR). */
    public Kubectl env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs the following commands through {@code launcher} (e.g. {@code ip netns exec NS}: kubectl on another host). */
    public Kubectl via(List<String> launcher) {
        this.launcher = List.copyOf(launcher);
        return this;
    }

    public String version() {
        return version;
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** The command line that runs kubectl with {@code args} against the cluster (30 s per request). */
    private List<String> argv(String... args) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(binary.toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.add("--request-timeout=30s");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** kubectl with {@code args}, in the test's own home and environment, the caller's KUBECONFIG left out. */
    private ProcessBuilder processBuilder(String... args) {
        ProcessBuilder pb = new ProcessBuilder(argv(args));
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("KUBECONFIG");
        pb.environment().putAll(env);
        return pb;
    }

    public Result runWithInput(String stdin, String... args) {
        ProcessBuilder pb = processBuilder(args);
        try {
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 90 s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the command with {@code stdin} as a user who leaves once {@code awaited} is on its stdout (a command that
     * would go on, as {@code kubectl attach -i} to a container whose stdin stays open): kubectl is then killed, and
     * its exit code is -1. Fails if the output does not come within 60 s.
     */
    public Result runWithInputUntil(String stdin, String awaited, String... args) {
        ProcessBuilder pb = processBuilder(args);
        try {
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains(awaited) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            int code = -1;
            if (p.isAlive()) p.destroyForcibly().waitFor();
            else code = p.exitValue();
            Result r = new Result(code, Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            if (!r.out().contains(awaited)) throw new AssertionError("kubectl " + String.join(" ", args) + " did not print "
                    + awaited + " in 60 s\n" + r);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs kubectl as at a real terminal ({@code src/test/resources/terminal/run-in-pty.py}: a pseudo-terminal of
     * {@code cols} x {@code rows} is its stdin, stdout and stderr, so {@code -t} takes effect and kubectl sends the
     * window's size), typing each of {@code typed} (with Enter) once {@code prompt} has shown one more time. The
     * result's {@code out} is everything the terminal showed, stdout and stderr as they came.
     */
    public Result runInTerminal(String prompt, List<String> typed, int cols, int rows, String... args) {
        List<String> argv = argv(args);
        java.util.Map<String, String> childEnv = new java.util.HashMap<>(env);
        childEnv.put("HOME", home.toString());
        childEnv.put("TERM", "xterm");
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            Path spec = Files.createTempFile(home, "terminal", ".json");
            json.writeValue(spec.toFile(), java.util.Map.of("argv", argv, "env", childEnv, "prompt", prompt, "typed", typed,
                    "cols", cols, "rows", rows, "timeout", 60));
            Path script = Path.of(Kubectl.class.getResource("/terminal/run-in-pty.py").toURI());
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), spec.toString());
            pb.environment().remove("KUBECONFIG");
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " on a terminal did not finish in 90 s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            Files.delete(spec);
            return r;
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the command until it succeeds with an output the condition accepts (the cluster's controllers and kubelets
     * work in the background), polling until the deadline; fails with the last answer otherwise.
     */
    public Result runUntil(java.time.Duration deadline, java.util.function.Predicate<Result> condition, String... args) {
        long end = System.nanoTime() + deadline.toNanos();
        Result r;
        do {
            r = run(args);
            if (r.exitCode() == 0 && condition.test(r)) return r;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < end);
        throw new AssertionError("not within " + deadline.toSeconds() + " s: kubectl " + String.join(" ", args) + "\n" + r);
    }

    /** The result, asserted to have succeeded (exit 0; the message shows its output). */
    public static Result ok(Result r) {
        org.junit.jupiter.api.Assertions.assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    /**
     * What an exec, attach or cp printed on stderr, less the one line client-go 1.30 to 1.33 may log on its own
     * WebSocket path: {@code Unknown stream id 1, discarding message}. Its {@code wsStreamExecutor}
     * (staging/src/k8s.io/client-go/tools/remotecommand/websocket.go) starts {@code readDemuxLoop} in a goroutine
     * before {@code streamer.stream} has created the streams, so the empty message the API server writes on the
     * lowest output channel as soon as the upgrade is done ({@code createWebSocketStreams} in
     * staging/src/k8s.io/apiserver/pkg/util/proxy/websocket.go, before it even dials the kubelet) is now and then read
     * before the stdout stream exists, and logged and dropped. A real cluster shows it as well; client-go 1.34 waits for
     * its streams first (kubernetes/kubernetes#131203). Any other stray line still fails the test.
     */
    public String streamErr(Result r) {
        return streamErr(version, r.err());
    }

    static String streamErr(String version, String err) {
        int minor = Integer.parseInt(version.substring(version.indexOf('.') + 1));
        if (minor < 30 || minor > 33) return err;
        return UNKNOWN_STREAM_1.matcher(err).replaceAll("");
    }

    private static final java.util.regex.Pattern UNKNOWN_STREAM_1 = java.util.regex.Pattern.compile(
            "(?m)^E\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{6} +\\d+ websocket\\.go:\\d+\\] Unknown stream id 1, discarding message\\n");

    /** Its stdout's lines, none for an empty output. */
    public static List<String> lines(Result r) {
        String out = r.out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    /** A process left running (kubectl get -w): read its output after stopping it. */
    public Process start(Path stdout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stdout.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        return pb.start();
    }
}
