package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import kubefake.testkit.Prerequisite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Playwright script of {@code src/test/browser} run by Node, driving Debian's Chromium headless: each step the page
 * passes is one JSON line on its stdout ({@code {"step": ...}}), and it reads the test's answers as JSON lines on its
 * stdin. Where Chromium, Node or the npm packages are missing the test is skipped with the reason, or fails when
 * {@code KUBEFAKE_BROWSER_REQUIRED} is set (as CI sets it, after installing them).
 */
final class BrowserScript implements AutoCloseable {
    static final String REQUIRED_ENVIRONMENT = "KUBEFAKE_BROWSER_REQUIRED";
    /** The scripts, their package.json and node_modules (Maven runs the tests in the module's folder). */
    static final Path DIRECTORY = Path.of("src/test/browser");
    private static final JsonNode ENDED = Json.MAPPER.createObjectNode().put("step", "(the script ended)");

    private final Process process;
    private final OutputStream stdin;
    private final Path stderr;
    private final BlockingQueue<JsonNode> steps = new LinkedBlockingQueue<>();
    private final List<String> otherOutput = java.util.Collections.synchronizedList(new ArrayList<>());

    private BrowserScript(Process process, Path stderr) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stderr = stderr;
        Thread reader = new Thread(this::readSteps, "browser-script-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Node on the PATH, Chromium and playwright-core installed: else the test is skipped (or fails in CI). */
    static Path requireNode() {
        Path chromium = chromium();
        if (!Files.isExecutable(chromium)) {
            return Prerequisite.missing("no Chromium at " + chromium + " (apt-get install chromium); the browser tests were skipped",
                    REQUIRED_ENVIRONMENT);
        }
        Path node = onPath("node");
        if (node == null) {
            return Prerequisite.missing("no node on the PATH (apt-get install nodejs npm); the browser tests were skipped",
                    REQUIRED_ENVIRONMENT);
        }
        if (!Files.isDirectory(DIRECTORY.resolve("node_modules/playwright-core"))) {
            return Prerequisite.missing("playwright-core is not installed (npm ci in server/src/test/browser); the browser"
                    + " tests were skipped", REQUIRED_ENVIRONMENT);
        }
        return node;
    }

    /** Starts {@code node SCRIPT ARGS...} in {@link #DIRECTORY}; its stderr goes to {@code stderr}. */
    static BrowserScript start(Path stderr, String script, String... args) throws IOException {
        Path node = requireNode();
        List<String> command = new ArrayList<>(List.of(node.toString(), script));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectError(stderr.toFile());
        pb.environment().put("KUBEFAKE_CHROMIUM", chromium().toString());
        return new BrowserScript(pb.start(), stderr);
    }

    private static Path chromium() {
        String configured = System.getenv("KUBEFAKE_CHROMIUM");
        return Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir).resolve(program);
            if (!dir.isEmpty() && Files.isExecutable(p)) return p;
        }
        return null;
    }

    private void readSteps() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                try {
                    JsonNode step = Json.MAPPER.readTree(line);
                    if (step.has("step")) {
                        steps.add(step);
                        continue;
                    }
                } catch (IOException e) {
                    // not one of the script's steps: kept for the failure message
                }
                otherOutput.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
        steps.add(ENDED);
    }

    /**
     * The next step the page reports, which must be {@code expected}; until it comes, {@code meanwhile} runs between
     * short waits (the test moves the cluster's clock there). Fails with the script's output when another step comes
     * (its {@code error} step says what the page did not do) or none within {@code limit} of real time.
     */
    JsonNode next(String expected, Duration limit, Meanwhile meanwhile) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - end < 0) {
            JsonNode step = steps.poll(50, TimeUnit.MILLISECONDS);
            if (step == null) {
                meanwhile.run();
                continue;
            }
            if (!step.path("step").asText().equals(expected)) {
                throw new AssertionError("the page did not reach \"" + expected + "\": " + step.toPrettyString() + diagnostics());
            }
            return step;
        }
        throw new AssertionError("the page did not reach \"" + expected + "\" within " + limit + diagnostics());
    }

    /** Gives the script the JSON it waits for. */
    void send(JsonNode answer) throws IOException {
        stdin.write((Json.MAPPER.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private String diagnostics() {
        String err;
        try {
            err = Files.readString(stderr);
        } catch (IOException e) {
            err = e.toString();
        }
        return "\n--- other output\n" + String.join("\n", otherOutput) + "\n--- stderr\n" + err;
    }

    /** What runs while the test waits for the page. */
    @FunctionalInterface
    interface Meanwhile {
        void run() throws Exception;
    }

    @Override
    public void close() throws Exception {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
