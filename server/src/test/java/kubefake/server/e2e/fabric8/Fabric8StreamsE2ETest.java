package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fabric8 client's streams against the simulated containers: exec over its WebSocket (v4.channel.k8s.io) with an
 * exit code, file and directory upload and download (cat and tar through exec), a log read and a log watch that ends
 * with the container, and port-forward over its WebSocket.
 */
class Fabric8StreamsE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.admin();
        ns = Fabric8Clients.newNamespace(client, "fabric8-streams");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    private Pod running(String name, String image, String... command) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("w1-k8s").withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage(image).withCommand(command.length == 0 ? null : java.util.List.of(command))
                .endContainer().endSpec().build();
        client.pods().inNamespace(ns).resource(pod).create();
        return client.pods().inNamespace(ns).withName(name).waitUntilReady(60, TimeUnit.SECONDS);
    }

    @Test
    void execReportsOutputAndExitCode() throws Exception {
        running("exec-target", "nginx");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(ns).withName("exec-target").writingOutput(out).writingError(err)
                .exec("sh", "-c", "hostname; echo oops >&2; exit 7")) {
            assertEquals(7, watch.exitCode().get(30, TimeUnit.SECONDS));
        }
        assertEquals("exec-target\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("oops\n", err.toString(StandardCharsets.UTF_8));
    }

    /** Waits (polling, at most 30 s) until what {@code out} received contains {@code text}; fails with it otherwise. */
    private static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > end) throw new AssertionError("no " + text + " in: " + out.toString(StandardCharsets.UTF_8));
            Thread.sleep(50);
        }
    }

    @Test
    void attachShowsWhatTheMainProcessWritesAndClosingEndsIt() throws Exception {
        running("attached", "busybox", "sh", "-c", "echo early; while true; do echo tick; sleep 1; done");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        ExecWatch watch = client.pods().inNamespace(ns).withName("attached").redirectingInput().writingOutput(out)
                .usingListener(new ExecListener() {
                    @Override
                    public void onClose(int code, String reason) {
                        closed.complete(code);
                    }
                }).attach();
        awaitOutput(out, "tick\ntick\n");
        watch.close();
        assertEquals(1000, closed.get(30, TimeUnit.SECONDS), "a normal WebSocket close");
        String seen = out.toString(StandardCharsets.UTF_8);
        assertTrue(seen.matches("(tick\n)+"), "only what the process wrote since attaching: " + seen);
    }

    /**
     * A container whose command is BusyBox's {@code timeout} of an interactive shell, with stdin and a tty (as fabric8's
     * own pod tests run one): the shell runs in timeout's place, and an attach types into it.
     */
    @Test
    void attachToAShellRunByTimeout() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("timed-shell").endMetadata()
                .withNewSpec().withNodeName("w1-k8s")
                .addNewContainer().withName("main").withImage("busybox")
                .withCommand("timeout", "-s", "SIGKILL", "36000", "sh", "-i").withStdin(true).withTty(true)
                .endContainer().endSpec().build();
        client.pods().inNamespace(ns).resource(pod).create();
        client.pods().inNamespace(ns).withName("timed-shell").waitUntilReady(60, TimeUnit.SECONDS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(ns).withName("timed-shell").redirectingInput().writingOutput(out)
                .withTTY().attach()) {
            watch.getInput().write("whoami\r".getBytes(StandardCharsets.UTF_8));
            watch.getInput().flush();
            awaitOutput(out, "whoami\r\nroot\r\n/ # ");
        }
        assertEquals(0, client.pods().inNamespace(ns).withName("timed-shell").get().getStatus().getContainerStatuses()
                .get(0).getRestartCount(), "the shell has run since the start");
    }

    /**
     * An interactive shell on a TTY ({@code withTTY()}): the image's prompt, echo and CR LF, stderr merged into stdout,
     * and {@code resize(cols, rows)} reaching the container's terminal ({@code stty size}).
     */
    @Test
    void execWithATerminalThatChangesSize() throws Exception {
        running("tty", "nginx");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(ns).withName("tty").redirectingInput().writingOutput(out).withTTY()
                .exec("/bin/bash")) {
            awaitOutput(out, "root@tty:/# ");
            watch.resize(132, 43);
            watch.getInput().write("stty size\r".getBytes(StandardCharsets.UTF_8));
            watch.getInput().flush();
            awaitOutput(out, "43 132\r\nroot@tty:/# ");
            watch.getInput().write("echo oops >&2; exit 5\r".getBytes(StandardCharsets.UTF_8));
            watch.getInput().flush();
            assertEquals(5, watch.exitCode().get(30, TimeUnit.SECONDS));
        }
        assertEquals("root@tty:/# stty size\r\n43 132\r\nroot@tty:/# echo oops >&2; exit 5\r\noops\r\nexit\r\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void logsAndALogWatchThatEndsWithTheContainer() throws Exception {
        running("logger", "busybox", "sh", "-c", "echo one; sleep 1; echo two; sleep 1");
        assertTrue(client.pods().inNamespace(ns).withName("logger").getLog().startsWith("one\n"));
        try (LogWatch watch = client.pods().inNamespace(ns).withName("logger").watchLog()) {
            InputStream in = watch.getOutput();
            assertEquals("one\ntwo\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void filesAndDirectoriesUploadAndDownload(@TempDir Path tmp) throws Exception {
        running("files", "nginx");
        byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
        Path local = Files.write(tmp.resolve("data.bin"), data);
        // a file: "mkdir -p DIR && cat - > FILE && echo $?" with the bytes on stdin, then "wc -c < FILE" to check its size
        assertTrue(client.pods().inNamespace(ns).withName("files").file("/tmp/up/data.bin").upload(local));
        try (InputStream in = client.pods().inNamespace(ns).withName("files").file("/tmp/up/data.bin").read()) {
            assertArrayEquals(data, in.readAllBytes());
        }
        try (InputStream in = client.pods().inNamespace(ns).withName("files").file("/usr/share/nginx/html/index.html").read()) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("<title>Welcome to nginx!</title>"));
        }
        // a directory: a tar uploaded as a file, extracted with tar -C DIR -xmf FILE; copied back with tar -cf - DIR
        Path site = Files.createDirectories(tmp.resolve("site/img"));
        Files.writeString(site.getParent().resolve("index.html"), "<h1>uploaded</h1>\n");
        Files.write(site.resolve("logo.bin"), data);
        assertTrue(client.pods().inNamespace(ns).withName("files").dir("/usr/share/nginx/site").upload(site.getParent()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch ls = client.pods().inNamespace(ns).withName("files").writingOutput(out)
                .exec("ls", "/usr/share/nginx/site", "/usr/share/nginx/site/img", "/tmp")) {
            assertEquals(0, ls.exitCode().get(30, TimeUnit.SECONDS));
        }
        assertEquals("/usr/share/nginx/site:\nimg\nindex.html\n\n/usr/share/nginx/site/img:\nlogo.bin\n\n/tmp:\nup\n",
                out.toString(StandardCharsets.UTF_8), "the uploaded tar is gone from /tmp");
        Path back = tmp.resolve("back");
        assertTrue(client.pods().inNamespace(ns).withName("files").dir("/usr/share/nginx/site").copy(back));
        try (var found = Files.walk(back)) {
            Path logo = found.filter(p -> p.endsWith("img/logo.bin")).findFirst().orElseThrow();
            assertArrayEquals(data, Files.readAllBytes(logo));
            assertEquals("<h1>uploaded</h1>\n", Files.readString(logo.getParent().getParent().resolve("index.html")));
        }
    }

    @Test
    void portForwardServesNginxsPage() throws Exception {
        running("pf-target", "nginx");
        try (LocalPortForward forward = client.pods().inNamespace(ns).withName("pf-target").portForward(80)) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Welcome to nginx!"), page.body());
        }
    }
}
