package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BusyBox's {@code tr} in a busybox container's scripts. */
class TrTest {
    private final ExecRecorder io = new ExecRecorder();

    private void sh(String script) {
        io.start(new ExecProcess.Container("box", ImageCatalogue.builtIn().resolve("busybox"),
                List.of("sleep", "3600"), Map.of(), ExecRecorder.CONTAINER_STARTED, () -> { }), List.of("sh", "-c", script),
                false, false);
    }

    @Test
    void translatesDeletesAndSqueezes() {
        sh("echo 'gdkkn vnqkc' | tr a-y b-z; echo hello | tr '[:lower:]' '[:upper:]'; echo a1b22c | tr -d 0-9;"
                + " echo 'a  b   c' | tr -s ' '; echo abc | tr abc x; cat /proc/1/cmdline | tr '\\0' ' '; echo");
        assertEquals("hello world\nHELLO\nabc\na b c\nxxx\nsleep 3600 \n", io.out.toString());
        assertEquals("", io.err.toString());
    }

    @Test
    void withoutItsSetsItShowsTheUsage() {
        sh("echo x | tr a; echo $?");
        assertEquals("1\n", io.out.toString());
        assertEquals(Tr.USAGE, io.err.toString());
    }

    @Test
    void squeezingGoesOnFromOneChunkOfAPipeToTheNext() {
        int[] last = {-1};
        byte[] first = Tr.run(List.of("-s", " "), "a  ".getBytes(java.nio.charset.StandardCharsets.UTF_8), last);
        byte[] second = Tr.run(List.of("-s", " "), "  b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), last);
        assertEquals("a b\n", new String(first, java.nio.charset.StandardCharsets.UTF_8)
                + new String(second, java.nio.charset.StandardCharsets.UTF_8));
    }
}
