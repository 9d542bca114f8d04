package kubefake.server.cli;

import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.server.e2e.Kubectl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `kubefake snapshot save|restore|status` (as etcdctl snapshot): a snapshot of the running cluster, restored into a new
 * data directory, serves exactly what was there when it was taken.
 */
class SnapshotCommandTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int rc = cli.execute(args);
        return new String[]{Integer.toString(rc), out.toString(), err.toString()};
    }

    private KubefakeCluster start(Path data, Path tokens) throws Exception {
        KubefakeCluster.Options o = KubefakeCluster.Options.defaults(data).withPort(0).withBindAddress("127.0.0.1")
                .withAdvertiseAddress(InetAddress.getByName("127.0.0.1")).withShape(ClusterShape.lab().withProfile("fast"));
        return KubefakeCluster.start(tokens == null ? o : o.withTokenAuthFile(tokens));
    }

    private static String ok(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        return r.out();
    }

    @Test
    void aSavedSnapshotRestoresTheClusterAsItWasThen() throws Exception {
        Path file = dir.resolve("backup.snap");
        Path tokens = dir.resolve("tokens.csv");
        Files.writeString(tokens, "viewer-token,viewer,viewer-uid,\"developers\"\n");
        String saved;
        try (KubefakeCluster c = start(dir.resolve("data"), tokens)) {
            Kubectl k = new Kubectl("1.33", c.adminConf(), Files.createDirectories(dir.resolve("home")));
            ok(k.run("create", "namespace", "prepared"));
            ok(k.run("create", "configmap", "before", "-n", "prepared", "--from-literal=a=1"));
            String[] r = run("snapshot", "save", file.toString(), "--kubeconfig", c.adminConf().toString());
            assertEquals("0", r[0], r[2]);
            saved = r[1];
            assertTrue(saved.matches("Snapshot saved at " + java.util.regex.Pattern.quote(file.toString())
                    + " \\(revision \\d+, \\d+ keys, [0-9.]+ kB\\)\n"), saved);
            ok(k.run("create", "configmap", "after", "-n", "prepared", "--from-literal=a=1"));

            // a snapshot holds every Secret: only cluster administrators may take one
            Path viewer = dir.resolve("viewer.conf");
            Files.writeString(viewer, Files.readString(c.adminConf()).replaceAll("(?s)users:.*", "users:\n- name: kubernetes-admin\n  user:\n    token: viewer-token\n"));
            r = run("snapshot", "save", dir.resolve("denied.snap").toString(), "--kubeconfig", viewer.toString());
            assertEquals("1", r[0]);
            assertEquals("error: forbidden: User \"viewer\" cannot get path \"/kubefake/v1/snapshot\"\n", r[2]);
            assertFalse(Files.exists(dir.resolve("denied.snap")));
        }
        long revision = Long.parseLong(saved.replaceAll("(?s).*\\(revision (\\d+),.*", "$1"));

        String[] status = run("snapshot", "status", file.toString());
        assertEquals("0", status[0], status[2]);
        assertTrue(status[1].matches("[0-9a-f]{8}, " + revision + ", \\d+, [0-9.]+ kB\n"), status[1]);
        status = run("snapshot", "status", file.toString(), "-w", "json");
        assertTrue(status[1].matches("\\{\"hash\":\\d+,\"revision\":" + revision + ",\"totalKey\":\\d+,\"totalSize\":"
                + Files.size(file) + "}\n"), status[1]);

        Path restored = dir.resolve("restored");
        String[] r = run("snapshot", "restore", file.toString(), "--data-dir", restored.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("Restored " + file + " at revision " + revision + " (" + status[1].replaceAll(".*\"totalKey\":(\\d+).*\n", "$1")
                + " keys) into " + restored.resolve("store") + "; start it with: kubefake up --data-dir " + restored + "\n", r[1]);
        r = run("snapshot", "restore", file.toString(), "--data-dir", restored.toString());
        assertEquals("1", r[0]);
        assertEquals("error: " + restored.resolve("store") + " already holds a store: restore into a new data directory\n", r[2]);

        try (KubefakeCluster c = start(restored, null)) {
            Kubectl k = new Kubectl("1.33", c.adminConf(), Files.createDirectories(dir.resolve("home2")));
            assertEquals("before", ok(k.run("get", "configmaps", "-n", "prepared", "-o", "jsonpath={.items[*].metadata.name}"))
                    .replace("kube-root-ca.crt", "").trim());
            assertEquals("node/m-k8s\nnode/w1-k8s\nnode/w2-k8s\nnode/w3-k8s\n", ok(k.run("get", "nodes", "-o", "name")));
        }
    }

    @Test
    void aDamagedSnapshotIsRefusedWithItsReason() throws Exception {
        Path file = dir.resolve("bad.snap");
        Files.write(file, "KFSNAP01 and then nothing sensible".getBytes());
        String[] r = run("snapshot", "status", file.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("error: " + file + ": "), r[2]);
        r = run("snapshot", "restore", file.toString(), "--data-dir", dir.resolve("d").toString());
        assertEquals("1", r[0]);
        assertFalse(Files.exists(dir.resolve("d/store")));
    }

    @Test
    void sizesReadAsEtcdctlPrintsThem() {
        assertEquals("9 B", SnapshotCommand.Sizes.humanBytes(9));
        assertEquals("999 B", SnapshotCommand.Sizes.humanBytes(999));
        assertEquals("1.0 kB", SnapshotCommand.Sizes.humanBytes(1000));
        assertEquals("21 kB", SnapshotCommand.Sizes.humanBytes(20_500));
        assertEquals("2.1 MB", SnapshotCommand.Sizes.humanBytes(2_100_000));
    }
}
