package kubefake.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd (Debian's {@code etcd-server} package) on loopback ports with a temporary data directory, started by the
 * tests. The binary is looked for in {@code KUBEFAKE_ETCD}, then {@code /usr/bin/etcd}, then each {@code etcd} on the
 * PATH. When there is none, the test is reported skipped saying where it looked, or fails when
 * {@code KUBEFAKE_ETCD_REQUIRED} is set (as CI sets it, after installing the package).
 *
 * <p>{@link #shared()} is one server for the whole test run (stopped when the JVM exits); {@link #start()} a server of
 * the caller's own (for what must not share history with other tests, such as compaction), to close.
 */
public final class EtcdServer implements AutoCloseable {
    /** The etcd binary to use first. */
    public static final String BINARY_ENVIRONMENT = "KUBEFAKE_ETCD";
    /** When set to anything, a missing etcd fails the tests that need it instead of skipping them. */
    public static final String REQUIRED_ENVIRONMENT = "KUBEFAKE_ETCD_REQUIRED";

    private static EtcdServer shared;

    private final Process process;
    private final Path dataDir;
    private final URI clientUrl;

    private EtcdServer(Process process, Path dataDir, URI clientUrl) {
        this.process = process;
        this.dataDir = dataDir;
        this.clientUrl = clientUrl;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI clientUrl() {
        return clientUrl;
    }

    /** The server every test of this run shares; skips (or fails, when required) the caller when etcd is missing. */
    public static synchronized EtcdServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            EtcdServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "etcd-stop"));
        }
        return shared;
    }

    /** A server of the caller's own; skips (or fails, when required) the caller when etcd is missing. */
    public static EtcdServer start() {
        return start(null);
    }

    /**
     * A server of the caller's own serving TLS with {@code certFile}/{@code keyFile} (PEM) and requiring client
     * certificates signed by {@code caFile}, as a kubeadm cluster's etcd does.
     */
    public static EtcdServer startTls(Path caFile, Path certFile, Path keyFile) {
        return start(new Tls(caFile, certFile, keyFile));
    }

    private record Tls(Path caFile, Path certFile, Path keyFile) {
    }

    private static EtcdServer start(Tls tls) {
        Path binary = binary();
        try {
            return start(binary, tls);
        } catch (IOException e) {
            return Assertions.fail("could not start " + binary + ": " + e.getMessage(), e);
        }
    }

    /** The etcd binary; aborts (skips) or fails the calling test when there is none. */
    public static Path binary() {
        List<Path> candidates = candidates(System.getenv(BINARY_ENVIRONMENT), System.getenv("PATH"));
        if (!candidates.isEmpty()) {
            return candidates.get(0);
        }
        String message = "etcd not found (install Debian's etcd-server: apt-get install -y etcd-server); tried "
                + BINARY_ENVIRONMENT + ", /usr/bin/etcd and the PATH";
        String required = System.getenv(REQUIRED_ENVIRONMENT);
        return required != null && !required.isBlank()
                ? Assertions.fail(message + " (and " + REQUIRED_ENVIRONMENT + " is set)") : Assumptions.abort(message);
    }

    static List<Path> candidates(String fromEnvironment, String pathVariable) {
        Set<Path> ordered = new LinkedHashSet<>();
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            ordered.add(Path.of(fromEnvironment));
        }
        ordered.add(Path.of("/usr/bin/etcd"));
        if (pathVariable != null) {
            for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    ordered.add(Path.of(dir, "etcd"));
                }
            }
        }
        List<Path> existing = new ArrayList<>();
        for (Path p : ordered) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                existing.add(p);
            }
        }
        return existing;
    }

    private static EtcdServer start(Path binary, Tls tls) throws IOException {
        Path dataDir = Files.createTempDirectory("kubefake-etcd");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken between choosing and binding it
            int clientPort = freePort();
            int peerPort = freePort();
            String client = (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
            String peer = "http://127.0.0.1:" + peerPort;
            Path member = dataDir.resolve("member-" + attempt);
            Path log = dataDir.resolve("etcd-" + attempt + ".log");
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--name", "kubefake-test",
                    "--data-dir", member.toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "kubefake-test=" + peer,
                    "--logger", "zap", "--log-level", "warn"));
            if (tls != null) {
                command.addAll(List.of("--cert-file", tls.certFile().toString(), "--key-file", tls.keyFile().toString(),
                        "--trusted-ca-file", tls.caFile().toString(), "--client-cert-auth"));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                // with TLS, /health needs a client certificate: a listening port and a live process must do
                if (tls == null ? awaitHealthy(process, URI.create(client + "/health")) : awaitListening(process, clientPort)) {
                    return new EtcdServer(process, dataDir, URI.create(client));
                }
                last = new IOException("etcd did not become healthy; its log: " + tail(log));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = new IOException("interrupted while starting etcd");
            }
            stop(process);
        }
        deleteTree(dataDir);
        throw last;
    }

    private static boolean awaitHealthy(Process process, URI health) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpURLConnection c = (HttpURLConnection) health.toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200
                        && new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("\"true\"")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: left behind at worst
        }
    }

    /** Stops the server and removes its data. */
    @Override
    public void close() {
        stop(process);
        deleteTree(dataDir);
    }
}
