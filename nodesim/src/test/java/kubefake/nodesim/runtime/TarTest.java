package kubefake.nodesim.runtime;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tar in a simulated container as {@code kubectl cp} runs it: {@code tar cf - PATH} writes a real archive of the
 * container's files, {@code tar -xmf - -C DIR} reads one from stdin into them, and what one exec writes the next sees.
 */
class TarTest {
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();
    private final Instant started = Instant.parse("2026-12-06T10:00:00Z");

    /** One exec's output and end. */
    private static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StringBuilder err = new StringBuilder();
        Integer exit;
        ExecProcess process;

        String outText() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private Run exec(ContainerFiles files, String image, boolean stdin, String... argv) {
        ExecProcess.Container c = new ExecProcess.Container("nginx-pod", catalogue.resolve(image), List.of(), Map.of(), started,
                () -> { }, files);
        Run run = new Run();
        run.process = ExecProcess.start(c, List.of(argv), stdin, false, new ExecProcess.Io() {
            @Override
            public void stdout(String text) {
                run.out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void stdoutBytes(byte[] data) {
                run.out.writeBytes(data);
            }

            @Override
            public void stderr(String text) {
                run.err.append(text);
            }

            @Override
            public void exited(int code) {
                run.exit = code;
            }

            @Override
            public void failed(String message) {
                throw new AssertionError(message);
            }
        }, (delay, task) -> () -> { }, started.plusSeconds(60));
        return run;
    }

    private ContainerFiles nginxFiles() {
        return new ContainerFiles(catalogue.resolve("nginx"), "nginx-pod", started);
    }

    private static Map<String, byte[]> members(byte[] archive) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) out.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
        }
        return out;
    }

    private static byte[] archive(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                if (m.getValue() != null) e.setSize(m.getValue().length);
                e.setMode(m.getValue() == null ? 040755 : 0100600);
                out.putArchiveEntry(e);
                if (m.getValue() != null) out.write(m.getValue());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void copyingOutArchivesTheFileWithoutItsLeadingSlash() throws IOException {
        Run r = exec(nginxFiles(), "nginx", false, "tar", "cf", "-", "/usr/share/nginx/html/index.html");
        assertEquals(0, r.exit);
        assertEquals("tar: Removing leading `/' from member names\n", r.err.toString());
        Map<String, byte[]> members = members(r.out.toByteArray());
        assertEquals(List.of("usr/share/nginx/html/index.html"), new ArrayList<>(members.keySet()));
        assertEquals(ContainerFiles.NGINX_INDEX, new String(members.get("usr/share/nginx/html/index.html"), StandardCharsets.UTF_8));
        assertEquals(0, r.out.size() % 10240, "tar writes whole 10 KiB records");

        Run dir = exec(nginxFiles(), "nginx", false, "tar", "cf", "-", "/usr/share/nginx/html");
        assertEquals(List.of("usr/share/nginx/html/", "usr/share/nginx/html/50x.html", "usr/share/nginx/html/index.html"),
                new ArrayList<>(members(dir.out.toByteArray()).keySet()));
    }

    @Test
    void copyingInExtractsWhatStdinCarriesOnceItEnds() throws IOException {
        ContainerFiles files = nginxFiles();
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("site/", null);
        members.put("site/index.html", "<h1>mine</h1>\n".getBytes(StandardCharsets.UTF_8));
        members.put("site/all-bytes.bin", binary);
        byte[] tar = archive(members);
        Run in = exec(files, "nginx", true, "tar", "-xmf", "-", "-C", "/tmp");
        in.process.input(java.util.Arrays.copyOfRange(tar, 0, 700));
        in.process.input(java.util.Arrays.copyOfRange(tar, 700, tar.length));
        assertNull(in.exit, "tar reads until stdin ends");
        in.process.inputClosed();
        assertEquals(0, in.exit);
        assertEquals("", in.err.toString());
        assertArrayEquals(binary, files.bytes("/tmp/site/all-bytes.bin"));
        Run cat = exec(files, "nginx", false, "cat", "/tmp/site/index.html");
        assertEquals("<h1>mine</h1>\n", cat.outText(), "the next exec sees what this one wrote");
        Run ls = exec(files, "nginx", false, "ls", "-l", "/tmp/site");
        assertTrue(ls.outText().contains("-rw------- 1 root root  256 "), ls.outText());
        Run back = exec(files, "nginx", false, "tar", "cf", "-", "/tmp/site/all-bytes.bin");
        assertArrayEquals(binary, members(back.out.toByteArray()).get("tmp/site/all-bytes.bin"));
    }

    @Test
    void errorsAreGnuTarsInDebianImagesAndBusyBoxsElsewhere() throws IOException {
        Run missing = exec(nginxFiles(), "nginx", false, "tar", "cf", "-", "/nope");
        assertEquals(2, missing.exit);
        assertEquals("tar: /nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n",
                missing.err.toString());
        Run noDir = exec(nginxFiles(), "nginx", true, "tar", "-xmf", "-", "-C", "/nope");
        noDir.process.inputClosed();
        assertEquals(2, noDir.exit);
        assertEquals("tar: /nope: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n",
                noDir.err.toString());
        Run garbage = exec(nginxFiles(), "nginx", true, "tar", "xf", "-");
        garbage.process.input("not an archive at all\n".repeat(40).getBytes(StandardCharsets.UTF_8));
        garbage.process.inputClosed();
        assertEquals(2, garbage.exit);
        assertEquals("tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n",
                garbage.err.toString());
        ContainerFiles busybox = new ContainerFiles(catalogue.resolve("busybox"), "bb", started);
        Run bb = exec(busybox, "busybox", false, "tar", "cf", "-", "/etc/hostname", "/nope");
        assertEquals(List.of("etc/hostname"), new ArrayList<>(members(bb.out.toByteArray()).keySet()));
        assertEquals(1, bb.exit);
        assertEquals("tar: removing leading '/' from member names\ntar: /nope: No such file or directory\n", bb.err.toString());
    }
}
