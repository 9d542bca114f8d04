package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** grep's patterns and options as a script in a container sees them: what it prints and its status. */
class GrepTest {
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            nginx:x:101:101:nginx user:/nonexistent:/bin/false
            """;

    private static Grep.Result grep(String... args) {
        return Grep.run(List.of(args), PASSWD);
    }

    @Test
    void aBasicExpressionAnchorsAndRepeats() {
        assertEquals(new Grep.Result("root:x:0:0:root:/root:/bin/bash\n", "", 0), grep("^root"));
        assertEquals("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n", grep("false$").output());
        assertEquals("daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", grep("x:[[:digit:]]:1").output());
        assertEquals("", grep("root|nginx").output(), "in a basic expression | is itself");
        assertEquals("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n", grep("\\(root\\|nginx\\):x:1").output(), "\\( \\| \\) group in a basic expression");
        assertEquals(1, grep("a.c").status(), "nothing matched: status 1");
    }

    @Test
    void extendedAndFixedStrings() {
        assertEquals(2, grep("-E", "^(root|nginx):").output().lines().count());
        assertEquals(0, grep("-F", "x:0").status());
        assertEquals(1, grep("-F", "x.0").status(), "-F: the dot is a dot");
        assertEquals(0, grep("x.0").status(), "without -F the dot is any character");
    }

    @Test
    void optionsThatChangeWhatIsPrinted() {
        assertEquals("3\n", grep("-c", "bin").output());
        assertEquals(new Grep.Result("0\n", "", 1), grep("-c", "nobody"));
        assertEquals(new Grep.Result("", "", 0), grep("-q", "root"));
        assertEquals("2:daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", grep("-n", "daemon").output());
        assertEquals(2, grep("-v", "root").output().lines().count());
        assertEquals(1, grep("-i", "ROOT").output().lines().count());
        assertEquals(1, grep("-w", "user").output().lines().count());
        assertEquals(1, grep("-w", "use").status(), "-w: a part of a word does not match");
        assertEquals("daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", grep("-e", ":x:1:").output(), "the pattern given by -e");
    }

    @Test
    void aPatternThatDoesNotCompileIsStatus2() {
        assertEquals(2, grep("-E", "(root").status());
    }

    @Test
    void inAContainerGrepReadsAFileAndPipesAndSetsTheStatus() {
        ExecRecorder io = new ExecRecorder();
        ExecProcess.Container nginx = new ExecProcess.Container("web", ImageCatalogue.builtIn().resolve("nginx"), List.of(),
                Map.of(), ExecRecorder.CONTAINER_STARTED, () -> { });
        io.start(nginx, List.of("sh", "-c", "grep '^root' /etc/passwd; grep -c nobody-here /etc/passwd; echo status=$?;"
                + " cat /etc/passwd | grep -E '^(root|daemon):' | wc -l"), false, false);
        assertEquals("root:x:0:0:root:/root:/bin/bash\n0\nstatus=1\n2\n", io.out.toString());
        assertEquals(0, io.exit);
    }
}
