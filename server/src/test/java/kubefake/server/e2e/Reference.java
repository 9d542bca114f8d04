package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recording of a real Kubernetes 1.33 API server and kubectl transcripts in ../shared/reference/k8s-1.33 (beside
 * the repository, as in CI). Tests compare structure with it: status, reason, message, fields, columns.
 */
public final class Reference {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Reference() {
    }

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared").resolve("reference").resolve("k8s-1.33");
            if (Files.isDirectory(candidate) && Files.exists(d.resolve("mvnw"))) return candidate;
        }
        throw new IllegalStateException("../shared/reference/k8s-1.33 not found beside the repository (looked up from " + dir + ")");
    }

    public static JsonNode http(String name) {
        return json(root().resolve("http").resolve(name + ".json"));
    }

    /** A recorded response body as sent: the file without the newline the recording adds at its end. */
    public static byte[] httpBody(String name) {
        try {
            byte[] file = Files.readAllBytes(root().resolve("http").resolve(name + ".json"));
            return file.length == 0 ? file : java.util.Arrays.copyOf(file, file.length - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded Content-Length of a response, or null when the recording has none. */
    public static String httpContentLength(String name) {
        Path head = root().resolve("http").resolve(name + ".head");
        if (!Files.exists(head)) return null;
        for (String line : read(head).split("\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) return line.substring(15).trim();
        }
        return null;
    }

    public static String kubectlOut(String version, String name) {
        return read(root().resolve("kubectl").resolve(version).resolve(name + ".out"));
    }

    public static String kubectlErr(String version, String name) {
        return read(root().resolve("kubectl").resolve(version).resolve(name + ".err"));
    }

    public static JsonNode json(Path p) {
        try {
            return MAPPER.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
