package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped image catalogue, its rules for unknown images, and a user's catalogue in front of it. */
class ImageCatalogueTest {
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();

    @Test
    void referencesAreNormalizedAsContainerdDoes() {
        assertEquals("docker.io/library/nginx:latest", ImageReference.parse("nginx").normalized());
        assertEquals("docker.io/library/nginx:1.25", ImageReference.parse("nginx:1.25").normalized());
        assertEquals("docker.io/sysnet4admin/echo-hname:latest", ImageReference.parse("sysnet4admin/echo-hname").normalized());
        assertEquals("registry.k8s.io/etcd:3.5.21-0", ImageReference.parse("registry.k8s.io/etcd:3.5.21-0").normalized());
        assertEquals("localhost:5000/app:latest", ImageReference.parse("localhost:5000/app").normalized());
        assertEquals("docker.io/library/nginx:latest", ImageReference.parse("index.docker.io/library/nginx").normalized());
        assertEquals("nginx:latest", ImageReference.parse("nginx").withDefaultTag());
        ImageReference pinned = ImageReference.parse("nginx@sha256:" + "a".repeat(64));
        assertEquals("", pinned.tag());
        assertEquals("docker.io/library/nginx@sha256:" + "a".repeat(64), pinned.normalized());
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("Nginx"));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("nginx:"));
    }

    @Test
    void knownImagesHaveTheirSizeDigestAndBehaviour() {
        Image nginx = catalogue.resolve("nginx");
        assertTrue(nginx.exists());
        assertEquals(72188133, nginx.size());
        assertTrue(nginx.imageId().matches("docker\\.io/library/nginx@sha256:[0-9a-f]{64}"));
        assertEquals(nginx.imageId(), catalogue.resolve("nginx:latest").imageId(), "the same reference, the same digest");
        Timeline web = nginx.start(List.of(), List.of());
        assertFalse(web.exits());
        assertTrue(web.serves(80));
        assertFalse(web.serves(8080));
        assertEquals("static", web.answers());
        assertTrue(web.output().get(0).text().startsWith("/docker-entrypoint.sh"));
        Image echo = catalogue.resolve("sysnet4admin/echo-hname");
        assertEquals("docker.io/sysnet4admin/echo-hname@sha256:6df896ded565cab71562ccbafc2be6d830c92391f021343d5f1dff7f9a727bce", echo.imageId());
        assertEquals("hostname", echo.start(null, null).answers());
        Timeline coredns = catalogue.resolve("registry.k8s.io/coredns/coredns:v1.12.0").start(null, List.of("-conf", "/etc/coredns/Corefile"));
        assertTrue(coredns.serves(8181), "args are coredns's flags: it runs its program");
    }

    /** What a container's command did in its first minutes: its log's lines, and when and how it exited (null: it runs on). */
    private record Ran(List<String> lines, Duration exitedAfter, Integer exitCode) {
    }

    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

    /** Runs a busybox container's command line as the kubelet does, on a clock moved on by ten minutes. */
    private Ran run(List<String> command, List<String> args) {
        Image busybox = catalogue.resolve("busybox");
        Timeline t = busybox.start(command, args);
        ProcessTable table = new ProcessTable();
        table.started("containerd://1", "uid", "c", START, t);
        ManualClock clock = new ManualClock(START);
        LiveProcess live = table.get("containerd://1").orElseThrow().live();
        if (live == null) return new Ran(List.of(), t.exitAfter(), t.exits() ? t.exitCode() : null);
        Instant[] exited = {null};
        int[] code = {0};
        live.start(new ExecProcess.Container("b", busybox, t.live().argv(), Map.of(), START, () -> { }), clock, clock, c -> {
            exited[0] = clock.instant();
            code[0] = c;
            table.ending("containerd://1", clock.instant(), c);
        });
        clock.advance(Duration.ofMinutes(10));
        ContainerLog log = new ContainerLog(table.get("containerd://1").orElseThrow());
        List<String> lines = log.lines(0, log.count(clock.instant())).stream().map(ContainerLog.Line::text).toList();
        return exited[0] == null ? new Ran(lines, null, null) : new Ran(lines, Duration.between(START, exited[0]), code[0]);
    }

    @Test
    void busyboxRunsItsCommand() {
        Image busybox = catalogue.resolve("busybox");
        Timeline noCommand = busybox.start(List.of(), List.of());
        assertEquals(Duration.ZERO, noCommand.exitAfter(), "sh without a terminal exits at once");
        assertEquals(0, noCommand.exitCode());
        assertEquals(new Ran(List.of(), Duration.ofSeconds(5), 0), run(List.of("sleep", "5"), List.of()));
        assertEquals(new Ran(List.of(), Duration.ZERO, 1), run(List.of("sh", "-c", "exit 1"), null));
        assertEquals(new Ran(List.of(), Duration.ZERO, 1), run(List.of("false"), null));
        assertEquals(new Ran(List.of(), Duration.ZERO, 0), run(List.of("true"), null));
        assertEquals(new Ran(List.of(), Duration.ZERO, 0), run(List.of("sh"), null), "sh without stdin reads its end at once");
        assertEquals(new Ran(List.of("hi", "bye"), Duration.ofSeconds(2), 3),
                run(List.of("sh", "-c"), List.of("echo hi; sleep 2 && echo bye; exit 3")));
        assertEquals(new Ran(List.of(), Duration.ofMinutes(1), 0), run(null, List.of("sleep", "1m")),
                "busybox has no entrypoint: args are the command");
        assertEquals(new Ran(List.of(), null, null), run(List.of("sleep", "infinity"), null));
        assertEquals(new Ran(List.of(), null, null), run(List.of("tail", "-f", "/dev/null"), null));
        Ran loop = run(List.of("sh", "-c", "while true; do echo tick; sleep 1; done"), null);
        assertEquals(601, loop.lines().size(), "a line a second for ten minutes, the first at the start");
        assertEquals(new Ran(List.of("sh: frobnicate: not found"), Duration.ZERO, 127), run(List.of("sh", "-c", "frobnicate"), null));
        assertEquals(new Ran(List.of("b"), Duration.ZERO, 0), run(List.of("hostname"), null));
        assertTrue(busybox.start(List.of("sleep", "5"), null).onTerm().ignore(), "sleep as PID 1 ignores SIGTERM");
    }

    @Test
    void aShellAsTheImagesCmdWaitsForAnOpenStdin() {
        // kubectl run -it / kubectl debug -it without a command: the image's CMD (busybox's sh) reads the stdin
        Timeline busybox = catalogue.resolve("busybox").start(List.of(), List.of(), true, false, true);
        assertEquals(new Timeline.Live(List.of("sh"), true, true, false), busybox.live());
        assertEquals(List.of("/bin/bash"), catalogue.resolve("ubuntu:24.04").start(null, null, true, true, true).live().argv());
        assertEquals(List.of("/bin/sh"), catalogue.resolve("alpine").start(null, null, true, false, false).live().argv());
        // without stdin the shell reads end-of-file: it ends at once, as before
        Timeline closed = catalogue.resolve("busybox").start(List.of(), List.of(), false, false, true);
        assertEquals(Duration.ZERO, closed.exitAfter());
        assertEquals(0, closed.exitCode());
        // an image whose CMD is not a shell runs as the catalogue says, stdin or not
        assertTrue(catalogue.resolve("nginx").start(null, null, true, false, true).serves(80));
    }

    @Test
    void unknownImagesFollowTheDocumentedRules() {
        Image missing = catalogue.resolve("doesnotexist");
        assertFalse(missing.exists());
        assertTrue(missing.pullError().contains("\"docker.io/library/doesnotexist:latest\": pull access denied"), missing.pullError());
        assertFalse(catalogue.resolve("myuser/does-not-exist:v1").exists());
        assertFalse(catalogue.resolve("ngnix").exists(), "a typo of an official image is refused like Docker Hub refuses it");
        assertTrue(catalogue.resolve("redis:7").exists(), "an official image kubefake does not describe pulls");
        Image other = catalogue.resolve("quay.io/someone/app:1.0");
        assertTrue(other.exists(), "another registry's image pulls");
        assertFalse(other.start(null, null).exits(), "and runs until stopped");
        Image tag = catalogue.resolve("nginx:nope");
        assertFalse(tag.exists());
        assertTrue(tag.pullError().startsWith("rpc error: code = NotFound desc ="), tag.pullError());
        assertTrue(catalogue.resolve("nginx:1.27.3-alpine").exists());
        assertFalse(catalogue.resolve("UPPER").exists(), "not a reference at all");
    }

    @Test
    void aUsersCatalogueComesFirst(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("images.yaml");
        Files.writeString(file, """
                apiVersion: kubefake.dev/v1alpha1
                kind: ImageCatalogue
                images:
                  - repository: registry.example.com/team/api
                    size: 123456
                    run: {serve: [8080], stdout: ["listening on :8080"]}
                  - repository: nginx
                    size: 42
                    run: {exit: 0, after: 1s}
                unknownImages:
                  - match: '^quay\\.io/'
                    exists: false
                    error: 'quay is down for {{image}}'
                """);
        ImageCatalogue mine = ImageCatalogue.withOverrides(file);
        Image api = mine.resolve("registry.example.com/team/api:2");
        assertEquals(123456, api.size());
        assertTrue(api.start(null, null).serves(8080));
        assertEquals(42, mine.resolve("nginx").size(), "the user's entry wins over the shipped one");
        assertEquals(Duration.ofSeconds(1), mine.resolve("nginx").start(null, null).exitAfter());
        assertEquals("quay is down for quay.io/x/y", mine.resolve("quay.io/x/y").pullError());
        assertTrue(mine.resolve("busybox").exists(), "the shipped entries still apply");
        assertNull(null);
    }

    @Test
    void aCatalogueWithATypoIsRefusedWithItsFileName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                images:
                  - repository: nginx
                    sise: 42
                """);
        IOException e = assertThrows(IOException.class, () -> ImageCatalogue.withOverrides(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("sise"), e.getMessage());
    }
}
