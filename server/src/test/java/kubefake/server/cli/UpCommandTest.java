package kubefake.server.cli;

import kubefake.server.e2e.Kubectl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `kubefake up` as a user runs it: it serves, writes admin.conf, reuses its PKI, and fails with one clear line. */
class UpCommandTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void upServesTheLabClusterAndARestartReusesThePki(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String firstCa = serveOnce(data, dir);
        String secondCa = serveOnce(data, dir);
        assertEquals(firstCa, secondCa, "a second up on the same data dir reuses its PKI");
    }

    /** Runs `up`, checks kubectl sees the four nodes through the written admin.conf, stops it; returns ca.crt. */
    private static String serveOnce(Path data, Path dir) throws Exception {
        Files.deleteIfExists(data.resolve("admin.conf"));
        Thread server = new Thread(() -> run(new StringWriter(), new StringWriter(), "up", "--data-dir", data.toString(),
                "--port", "0", "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1"));
        server.start();
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(data.resolve("admin.conf")) && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(data.resolve("admin.conf")), "admin.conf written");
            String admin = Files.readString(data.resolve("admin.conf"));
            assertTrue(admin.contains("name: kubernetes-admin@kubernetes"), admin);
            assertTrue(admin.matches("(?s).*server: https://127\\.0\\.0\\.1:\\d+\\n.*"), admin);
            Kubectl k = new Kubectl("1.33", data.resolve("admin.conf"), Files.createDirectories(dir.resolve("home")));
            Kubectl.Result nodes = k.run("get", "nodes", "-o", "name");
            assertEquals("node/m-k8s\nnode/w1-k8s\nnode/w2-k8s\nnode/w3-k8s\n", nodes.out(), nodes::toString);
            return Files.readString(data.resolve("pki").resolve("ca.crt"));
        } finally {
            server.interrupt();
            server.join(10_000);
        }
    }

    /** The package step's training run for the class data archive: two starts in a directory of its own. */
    @Test
    void theTrainingRunStartsTwiceUntilKubeSystemRunsAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Supplier<Set<Path>> trainingDirs = () -> {
            try (var files = Files.list(tmp)) {
                return files.filter(p -> p.getFileName().toString().startsWith("kubefake-training")).collect(Collectors.toSet());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        var before = trainingDirs.get();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path data = dir.resolve("data");
        int code = run(out, err, "up", "--exit-when-ready", "--data-dir", data.toString(), "--port", "0",
                "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", "--profile", "fast");
        assertEquals(0, code, err::toString);
        assertEquals("training run, first start: 15 of 15 kube-system pods Running\n"
                + "training run, restart: 15 of 15 kube-system pods Running\n", out.toString());
        assertTrue(Files.notExists(data), "the given --data-dir is not used");
        assertEquals(before, trainingDirs.get(), "the training's own data directory is removed");
    }

    @Test
    void durabilityNoneRefusesADataDirectoryThatHoldsAStore(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store/wal"));
        Files.write(store.resolve("0000000000000001.wal"), new byte[16]);
        StringWriter err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--durability=none", "--port", "0",
                "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1"));
        assertTrue(err.toString().startsWith("error: " + dir.resolve("store") + " holds a durable store, which --durability=none"
                + " would ignore and leave stale: use --durability=fsync, or remove " + dir.resolve("store") + " to start afresh"),
                err.toString());
    }

    @Test
    void aPortInUseIsOneClearError(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            StringWriter err = new StringWriter();
            int code = run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--port",
                    Integer.toString(taken.getLocalPort()), "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1");
            assertEquals(1, code);
            assertTrue(err.toString().startsWith("error: cannot listen: Address already in use"), err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
        }
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--advertise-address", "not-an-ip"));
        assertTrue(err.toString().startsWith("--advertise-address: not an IP address: not-an-ip"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--request-timeout", "soon"));
        assertTrue(err.toString().startsWith("--request-timeout: time: invalid duration \"soon\""), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--max-requests-inflight", "-1"));
        assertTrue(err.toString().startsWith("--max-requests-inflight can not be negative value"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--durability", "sometimes"));
        assertTrue(err.toString().startsWith("--durability: must be fsync or none: sometimes"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--etcd-servers", "127.0.0.1:2379"));
        assertTrue(err.toString().startsWith("--etcd-servers: not an etcd client URL (http[s]://HOST:PORT): 127.0.0.1:2379"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--etcd-prefix", "/kubefake"));
        assertTrue(err.toString().startsWith("--etcd-cafile, --etcd-certfile, --etcd-keyfile and --etcd-prefix need --etcd-servers"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--etcd-servers",
                "https://127.0.0.1:2379", "--etcd-certfile", "client.crt"));
        assertTrue(err.toString().startsWith("--etcd-servers: --etcd-certfile and --etcd-keyfile go together"), err.toString());
        StringWriter help = new StringWriter();
        assertEquals(0, run(help, new StringWriter(), "up", "--help"));
        assertTrue(help.toString().contains("--token-auth-file=FILE"), help.toString());
        assertTrue(help.toString().contains("--max-mutating-requests-inflight=N"), help.toString());
        assertFalse(help.toString().contains("--exit-when-ready"), "the package step's option is hidden");
    }

    @Test
    void workersConfigProfileAndImagesChooseTheClustersShape(@TempDir Path dir) throws Exception {
        UpCommand up = new UpCommand();
        new picocli.CommandLine(up).parseArgs("--workers", "5", "--profile", "fast");
        var shape = up.shape();
        assertEquals(6, shape.nodes().size());
        assertEquals("w5-k8s", shape.nodes().get(5).name());
        assertEquals("192.168.1.105", shape.nodes().get(5).internalIp());
        assertEquals("fast", shape.profile());

        Path config = dir.resolve("cluster.yaml");
        Files.writeString(config, """
                kind: ClusterShape
                nodes:
                  - {name: cp, ip: 10.0.0.10, controlPlane: true}
                  - {name: worker, ip: 10.0.0.11, labels: {disk: ssd}}
                """);
        Path images = dir.resolve("images.yaml");
        Files.writeString(images, "images: []\n");
        up = new UpCommand();
        new picocli.CommandLine(up).parseArgs("--config", config.toString(), "--images", images.toString());
        shape = up.shape();
        assertEquals(java.util.List.of("cp", "worker"), shape.nodes().stream().map(kubefake.nodesim.NodeSpec::name).toList());
        assertEquals("lab", shape.profile());
        assertEquals(images, shape.images());
    }

    @Test
    void impossibleShapesAreOneClearError(@TempDir Path dir) throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--workers", "200"));
        assertTrue(err.toString().startsWith("--workers must be between 0 and 154 (the lab's workers take 192.168.1.101-254);"
                + " use --config for larger clusters"), err.toString());
        err = new StringWriter();
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "nodes: []\n");
        assertEquals(2, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--workers", "2", "--config", config.toString()));
        assertTrue(err.toString().startsWith("--workers and --config cannot be used together"), err.toString());
        err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--config", config.toString()));
        assertEquals("error: " + config + ": a cluster needs at least one node\n", err.toString());
        err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "up", "--data-dir", dir.toString(), "--port", "0", "--profile", dir.resolve("nope.yaml").toString()));
        assertTrue(err.toString().startsWith("error: "), err.toString());
        assertTrue(err.toString().contains("nope.yaml"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }
}
