package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl cp} both ways, which is tar through exec (SPDY for 1.27 and 1.29, the v5 WebSocket for 1.31 and 1.33):
 * out of the container {@code tar cf - PATH}, whose GNU tar note about the leading slash kubectl prints on its stdout;
 * into it {@code test -d DEST}, then {@code tar -xmf - -C DIR} fed on stdin. What is copied in stays in the
 * container's file system for the next exec, and comes back out byte for byte.
 */
class PodCopyE2ETest {
    private static final String LEADING_SLASH = "tar: Removing leading `/' from member names\n";

    static List<String> clients() {
        return Kubectl.VERSIONS;
    }

    private static String nginxPod(Kubectl k, Path tmp, String test) throws Exception {
        String ns = "e2e-cp-" + test + "-" + k.version().replace('.', '-');
        k.run("create", "namespace", ns);
        NginxPods.createReady(k, tmp, ns, "web");
        return ns;
    }

    /**
     * kubectl cp copies tar's stderr to its stdout in one goroutine while another reads the archive (cp.go's
     * copyFromPod, ErrOut: o.Out) and returns when the archive ends: tar's note, written before the archive, is
     * usually printed and sometimes lost to that race, against a real cluster as here. Nothing else may show.
     */
    private static void assertCopiedOut(Kubectl.Result out) {
        assertTrue(out.out().equals(LEADING_SLASH) || out.out().isEmpty(), out::toString);
    }

    private static byte[] allBytes() {
        byte[] b = new byte[3000];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 7);
        return b;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void copiesAFileOutOfTheContainer(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = nginxPod(k, tmp, "out");
        Path local = tmp.resolve("index.html");
        Kubectl.Result out = k.run("cp", ns + "/web:/usr/share/nginx/html/index.html", local.toString());
        assertEquals(0, out.exitCode(), out::toString);
        assertCopiedOut(out);
        assertEquals("", k.streamErr(out));
        String page = Files.readString(local);
        assertTrue(page.startsWith("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>"), page);

        Path none = tmp.resolve("none");
        // tar says so at once, then writes an empty archive and exits 2; kubectl's copyFromPod returns when the archive
        // ends, racing the exec's status in its own goroutine (cp.go), so a missing file usually still exits 0; the
        // same race can end kubectl before it has printed tar's stderr (as against a real cluster), but never with
        // anything else printed
        Kubectl.Result missing = k.run("cp", ns + "/web:/no/such/file", none.toString());
        assertTrue(missing.out().isEmpty()
                || missing.out().startsWith("tar: /no/such/file: Cannot stat: No such file or directory\n"), missing::toString);
        assertFalse(Files.exists(none));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void copiesFilesAndDirectoriesInAndBackOut(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = nginxPod(k, tmp, "in");
        Path hello = tmp.resolve("hello.txt");
        Files.writeString(hello, "hello from the host\n");
        Kubectl.Result in = k.run("cp", hello.toString(), ns + "/web:/tmp/hello.txt");
        assertEquals(0, in.exitCode(), in::toString);
        assertEquals("", in.out());
        assertEquals("", k.streamErr(in));
        Kubectl.Result cat = ok(k.run("-n", ns, "exec", "web", "--", "cat", "/tmp/hello.txt"));
        assertEquals("hello from the host\n", cat.out());

        // a directory into an existing directory lands inside it (kubectl's test -d)
        Path site = Files.createDirectories(tmp.resolve("site/img"));
        Files.writeString(site.getParent().resolve("index.html"), "<h1>copied in</h1>\n");
        Files.write(site.resolve("logo.bin"), allBytes());
        ok(k.run("cp", site.getParent().toString(), ns + "/web:/usr/share/nginx"));
        Kubectl.Result ls = ok(k.run("-n", ns, "exec", "web", "--", "ls", "/usr/share/nginx/site", "/usr/share/nginx/site/img"));
        assertEquals("/usr/share/nginx/site:\nimg\nindex.html\n\n/usr/share/nginx/site/img:\nlogo.bin\n", ls.out());

        Path back = tmp.resolve("back");
        Kubectl.Result out = k.run("cp", ns + "/web:/usr/share/nginx/site", back.toString());
        assertEquals(0, out.exitCode(), out::toString);
        assertCopiedOut(out);
        assertEquals("<h1>copied in</h1>\n", Files.readString(back.resolve("index.html")));
        assertArrayEquals(allBytes(), Files.readAllBytes(back.resolve("img/logo.bin")));

        Kubectl.Result noDir = k.run("cp", hello.toString(), ns + "/web:/no/such/dir/hello.txt");
        assertEquals(2, noDir.exitCode(), noDir::toString);
        assertEquals("tar: /no/such/dir: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n"
                + "command terminated with exit code 2\n", k.streamErr(noDir));
        assertEquals("", noDir.out());
    }
}
