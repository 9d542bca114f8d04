package kubefake.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PythonClientTest {

    @Test
    void triesTheConfiguredInterpreterThenDebiansThenThePathSkippingWhatIsNotThere(@TempDir Path dir) throws IOException {
        Path configured = executable(dir.resolve("configured/python3"));
        Path onPath = executable(dir.resolve("bin/python3"));
        String path = dir.resolve("empty") + java.io.File.pathSeparator + onPath.getParent();

        List<Path> candidates = PythonClient.candidates(configured.toString(), path);

        List<Path> expected = Files.isExecutable(Path.of("/usr/bin/python3"))
                ? List.of(configured, Path.of("/usr/bin/python3"), onPath) : List.of(configured, onPath);
        assertEquals(expected, candidates);
    }

    private static Path executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
