package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        Timeline web = nginx.start(List.of(), List.of(), "web");
        assertFalse(web.exits());
        assertTrue(web.serves(80));
        assertFalse(web.serves(8080));
        assertEquals("static", web.answers());
        assertTrue(web.output().get(0).text().startsWith("/docker-entrypoint.sh"));
        Image echo = catalogue.resolve("sysnet4admin/echo-hname");
        assertEquals("docker.io/sysnet4admin/echo-hname@sha256:6df896ded565cab71562ccbafc2be6d830c92391f021343d5f1dff7f9a727bce", echo.imageId());
        assertEquals("hostname", echo.start(null, null, "pod-1").answers());
        Timeline coredns = catalogue.resolve("registry.k8s.io/coredns/coredns:v1.12.0").start(null, List.of("-conf", "/etc/coredns/Corefile"), "x");
        assertTrue(coredns.serves(8181), "args are coredns's flags: it runs its program");
    }

    @Test
    void busyboxRunsItsCommand() {
        Image busybox = catalogue.resolve("busybox");
        Timeline noCommand = busybox.start(List.of(), List.of(), "b");
        assertEquals(Duration.ZERO, noCommand.exitAfter(), "sh without a terminal exits at once");
        assertEquals(0, noCommand.exitCode());
        Timeline sleep = busybox.start(List.of("sleep", "5"), List.of(), "b");
        assertEquals(Duration.ofSeconds(5), sleep.exitAfter());
        assertEquals(0, sleep.exitCode());
        assertEquals(1, busybox.start(List.of("sh", "-c", "exit 1"), null, "b").exitCode());
        assertEquals(1, busybox.start(List.of("false"), null, "b").exitCode());
        assertEquals(0, busybox.start(List.of("true"), null, "b").exitCode());
        Timeline script = busybox.start(List.of("sh", "-c"), List.of("echo hi; sleep 2 && echo bye; exit 3"), "b");
        assertEquals(Duration.ofSeconds(2), script.exitAfter());
        assertEquals(3, script.exitCode());
        assertEquals(List.of("hi", "bye"), script.output().stream().map(Timeline.Output::text).toList());
        assertEquals(Duration.ofSeconds(2), script.output().get(1).at());
        Timeline args = busybox.start(null, List.of("sleep", "1m"), "b");
        assertEquals(Duration.ofMinutes(1), args.exitAfter(), "busybox has no entrypoint: args are the command");
        assertFalse(busybox.start(List.of("sleep", "infinity"), null, "b").exits());
        assertFalse(busybox.start(List.of("tail", "-f", "/dev/null"), null, "b").exits());
        Timeline loop = busybox.start(List.of("sh", "-c", "while true; do echo tick; sleep 1; done"), null, "b");
        assertFalse(loop.exits());
        assertEquals(Duration.ofSeconds(1), loop.repeatEvery());
        assertEquals("tick", loop.repeating().get(0).text());
        Timeline missing = busybox.start(List.of("sh", "-c", "frobnicate"), null, "b");
        assertEquals(127, missing.exitCode());
        assertEquals("sh: frobnicate: not found", missing.output().get(0).text());
        assertEquals("b", busybox.start(List.of("hostname"), null, "b").output().get(0).text());
        assertTrue(busybox.start(List.of("sleep", "5"), null, "b").onTerm().ignore(), "sleep as PID 1 ignores SIGTERM");
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
        assertFalse(other.start(null, null, "x").exits(), "and runs until stopped");
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
        assertTrue(api.start(null, null, "a").serves(8080));
        assertEquals(42, mine.resolve("nginx").size(), "the user's entry wins over the shipped one");
        assertEquals(Duration.ofSeconds(1), mine.resolve("nginx").start(null, null, "n").exitAfter());
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
