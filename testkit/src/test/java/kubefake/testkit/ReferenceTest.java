package kubefake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceTest {

    @Test
    void theDefaultIsTheRepositorysCopy() {
        if (System.getProperty(Reference.PROPERTY) == null && System.getenv(Reference.ENVIRONMENT) == null) {
            assertTrue(Reference.root().endsWith(Path.of("reference", "k8s-1.33")), Reference.root().toString());
            assertTrue(Reference.root().toString().contains("testkit"), Reference.root().toString());
        }
        assertEquals("NotFound", Reference.http("err-notfound").path("reason").asText());
        assertEquals("3", Reference.kubectlYaml("yaml-replicaset").path("spec").path("replicas").asText());
    }

    @Test
    void familiesAreListedAsRelativePathsTheReadersTake() {
        List<String> tables = Reference.files("http", "table-.*\\.json");
        assertTrue(tables.size() > 50, tables.toString());
        assertTrue(tables.contains("http/table-api_v1-pods.json"), tables.toString());
        assertEquals("Table", Reference.json(tables.get(0)).path("kind").asText());
    }

    @Test
    void aFileMissingFromTheCopySaysHowToAddIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Reference.http("no-such-recording"));
        assertTrue(e.getMessage().startsWith("http/no-such-recording.json is not in the recording at "), e.getMessage());
        assertTrue(e.getMessage().endsWith("add it to the list in scripts/refresh-reference.sh and run that script"),
                e.getMessage());
    }

    /** {@code ./mvnw verify} tests the other modules against the packaged testkit jar: the copy is read from it. */
    @Test
    void theCopyIsReadableInsideAJar(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("testkit.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("reference/k8s-1.33/README.md", "reference/k8s-1.33/http/version.json")) {
                out.putNextEntry(new JarEntry(name));
                out.write(name.endsWith(".json") ? "{\"major\":\"1\"}".getBytes() : "# recording\n".getBytes());
                out.closeEntry();
            }
        }
        Path root = Reference.directoryOf(new URL("jar:" + jar.toUri() + "!/reference/k8s-1.33/README.md"));
        assertEquals("{\"major\":\"1\"}", Files.readString(root.resolve("http/version.json")));
        assertEquals(root, Reference.directoryOf(new URL("jar:" + jar.toUri() + "!/reference/k8s-1.33/README.md")));
    }
}
