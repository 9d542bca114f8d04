package kubefake.server.cli;

import kubefake.kubeconfig.Kubeconfig;
import kubefake.kubeconfig.KubeconfigYaml;
import kubefake.server.e2e.Kubectl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kind-like commands as a user runs them, each a process of its own with HOME and KUBECONFIG in a temporary
 * directory: two clusters up side by side, kubectl against each context, the contexts merged into a kubeconfig that
 * had another cluster's entries, exported, listed, and removed on delete.
 */
class NamedClustersE2ETest {
    @TempDir
    Path home;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder kubefake(Path kubeconfig, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("KUBECONFIG", home.resolve("missing") + ":" + kubeconfig);
        return pb;
    }

    private record Ran(int exit, String out, String err) {
    }

    private Ran run(Path kubeconfig, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = kubefake(kubeconfig, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubefake " + String.join(" ", args) + " finished");
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Process up(Path kubeconfig, String name) throws IOException {
        Process p = kubefake(kubeconfig, "up", "--name", name, "--durability", "none", "--profile", "fast", "--workers", "1")
                .redirectOutput(home.resolve(name + ".out").toFile()).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /** Waits (up to 5 minutes: the machine may be loaded) until the cluster's up has merged its context. */
    private void awaitContext(Path kubeconfig, String name, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> name + "'s up ended: " + read(home.resolve(name + ".out")));
            if (Files.readString(home.resolve(name + ".out")).contains("Set kubectl context to \"kubefake-" + name + "\"")) return;
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not come up: " + read(home.resolve(name + ".out")));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void twoNamedClustersSideBySideMergedIntoTheKubeconfigAndRemovedOnDelete() throws Exception {
        Path kubeconfig = home.resolve("kube").resolve("config");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                clusters:
                - cluster:
                    server: https://prod.example:6443
                  name: prod
                contexts:
                - context:
                    cluster: prod
                    user: prod-admin
                  name: prod
                current-context: prod
                kind: Config
                preferences: {}
                users:
                - name: prod-admin
                  user:
                    token: t0ken
                """);
        Process a = up(kubeconfig, "a");
        Process b = up(kubeconfig, "b");
        awaitContext(kubeconfig, "a", a);
        awaitContext(kubeconfig, "b", b);

        Kubeconfig merged = KubeconfigYaml.read(kubeconfig);
        assertTrue(merged.context("prod").isPresent(), "the kubeconfig's other entries are kept");
        assertEquals("t0ken", merged.user("prod-admin").orElseThrow().token());
        String serverA = merged.cluster("kubefake-a").orElseThrow().server();
        String serverB = merged.cluster("kubefake-b").orElseThrow().server();
        assertNotEquals(serverA, serverB);
        assertTrue(serverA.startsWith("https://127.0.0.1:"), serverA);
        assertTrue(List.of("kubefake-a", "kubefake-b").contains(merged.currentContext()), merged.currentContext());

        Kubectl kubectl = new Kubectl("1.33", kubeconfig, Files.createDirectories(home.resolve("kubectl-home")));
        assertEquals("node/m-k8s\nnode/w1-k8s\n", Kubectl.ok(kubectl.run("--context", "kubefake-a", "get", "nodes", "-o", "name")).out());
        assertEquals("node/m-k8s\nnode/w1-k8s\n", Kubectl.ok(kubectl.run("--context", "kubefake-b", "get", "nodes", "-o", "name")).out());
        Kubectl.ok(kubectl.run("--context", "kubefake-a", "create", "namespace", "only-in-a"));
        assertEquals("Error from server (NotFound): namespaces \"only-in-a\" not found\n",
                kubectl.run("--context", "kubefake-b", "get", "namespace", "only-in-a").err());

        Ran export = run(kubeconfig, "export", "kubeconfig", "--name", "a");
        assertEquals(new Ran(0, "Set kubectl context to \"kubefake-a\"\n", ""), export);
        assertEquals("kubefake-a", KubeconfigYaml.read(kubeconfig).currentContext());
        assertEquals("only-in-a", Kubectl.ok(kubectl.run("get", "namespace", "only-in-a", "-o", "jsonpath={.metadata.name}")).out());

        assertEquals(new Ran(0, "a\nb\n", ""), run(kubeconfig, "get", "clusters"));
        Ran printed = run(kubeconfig, "get", "kubeconfig", "--name", "b");
        assertEquals(0, printed.exit(), printed::toString);
        Kubeconfig onlyB = KubeconfigYaml.parse(printed.out());
        assertEquals("kubefake-b", onlyB.currentContext());
        assertEquals(serverB, onlyB.cluster("kubefake-b").orElseThrow().server());

        assertEquals(new Ran(0, "Deleting cluster \"a\" ...\n", ""), run(kubeconfig, "delete", "cluster", "--name", "a"));
        assertTrue(a.waitFor(60, TimeUnit.SECONDS), "a's up stopped");
        Kubeconfig afterDelete = KubeconfigYaml.read(kubeconfig);
        assertFalse(afterDelete.context("kubefake-a").isPresent());
        assertFalse(afterDelete.cluster("kubefake-a").isPresent());
        assertFalse(afterDelete.user("kubefake-a").isPresent());
        assertEquals("", afterDelete.currentContext(), "kubefake-a was current");
        assertTrue(afterDelete.context("prod").isPresent());
        assertFalse(Files.exists(home.resolve(".kubefake/a")));
        assertEquals("node/m-k8s\nnode/w1-k8s\n", Kubectl.ok(kubectl.run("--context", "kubefake-b", "get", "nodes", "-o", "name")).out());

        assertEquals(0, run(kubeconfig, "delete", "cluster", "--name", "b").exit());
        assertTrue(b.waitFor(60, TimeUnit.SECONDS), "b's up stopped");
        assertEquals(new Ran(0, "", "No kubefake clusters found.\n"), run(kubeconfig, "get", "clusters"));
        assertEquals(List.of("prod"), KubeconfigYaml.read(kubeconfig).contexts().stream().map(Kubeconfig.NamedContext::name).toList());
    }
}
