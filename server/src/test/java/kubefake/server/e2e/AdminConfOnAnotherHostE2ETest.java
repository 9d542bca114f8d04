package kubefake.server.e2e;

import kubefake.testkit.Reference;
import kubefake.testkit.TwoHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * LAB.md step 3: admin.conf copied from the control plane to a worker, and kubectl used from there. The two hosts are
 * network namespaces joined by a veth pair with the lab's addresses; kubefake runs in m-k8s's, bound to and
 * advertising 192.168.1.10:6443 as kubeadm's API server does; the copied admin.conf is used by kubectl in w1-k8s's,
 * where only 192.168.1.101 and loopback exist. So the server's address in admin.conf and in its serving certificate
 * must be the advertised one: a certificate for 127.0.0.1 or a kubeconfig naming it would fail here.
 */
class AdminConfOnAnotherHostE2ETest {
    private static final String MASTER = "192.168.1.10";
    private static final String WORKER = "192.168.1.101";
    private static final String SERVER_URL = "https://" + MASTER + ":6443";

    @TempDir
    Path dir;

    @Test
    void kubectlOnAWorkerUsesTheCopiedAdminConf() throws Exception {
        try (TwoHosts hosts = TwoHosts.create("kubefake-m-k8s", MASTER, "kubefake-w1-k8s", WORKER)) {
            Path masterData = dir.resolve("m-k8s");
            Path log = dir.resolve("kubefake.log");
            List<String> command = new ArrayList<>(hosts.first().exec());
            command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), "kubefake.server.cli.Main", "up",
                    "--data-dir", masterData.toString(), "--bind-address", MASTER, "--advertise-address", MASTER,
                    "--port", "6443", "--durability", "none", "--profile", "fast"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("HOME", dir.toString());
            Process server = pb.start();
            try {
                Path adminConf = masterData.resolve("admin.conf");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!Files.exists(adminConf)) {
                    if (!server.isAlive()) fail("kubefake exited with " + server.exitValue() + ":\n" + Files.readString(log));
                    if (System.nanoTime() > deadline) fail("no admin.conf after 60 s:\n" + Files.readString(log));
                    Thread.sleep(50);
                }
                // scp admin.conf w1-k8s:~/.kube/config
                Path workerHome = Files.createDirectories(dir.resolve("w1-k8s"));
                Path copied = Files.createDirectories(workerHome.resolve(".kube")).resolve("config");
                Files.copy(adminConf, copied);
                assertTrue(Files.readString(copied).contains("    server: " + SERVER_URL + "\n"), () -> readQuietly(copied));

                for (String v : List.of("1.27", "1.33")) {
                    Kubectl k = new Kubectl(v, copied, workerHome).via(hosts.second().exec());
                    Kubectl.Result ready = k.runUntil(Duration.ofSeconds(60), r -> r.out().equals("ok"), "get", "--raw", "/readyz");
                    assertEquals("ok", ready.out());
                    Kubectl.Result nodes = k.runUntil(Duration.ofSeconds(60),
                            r -> r.out().lines().filter(l -> l.matches("^\\S+ +Ready +.*")).count() == 4, "get", "nodes");
                    assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"),
                            nodes.out().lines().skip(1).map(l -> l.split(" +")[0]).toList(), nodes::toString);
                    Kubectl.Result info = k.run("cluster-info");
                    assertEquals(0, info.exitCode(), info::toString);
                    assertEquals(Reference.kubectlOut(v, "cluster-info").replace("https://127.0.0.1:16443", SERVER_URL), info.out());
                }
            } finally {
                server.destroy();
                if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
