package kubefake.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The recording of a real Kubernetes 1.33 API server that tests compare with (status codes, messages, defaults,
 * columns, kubectl transcripts). By default the copy of the files the tests use, kept in this module's resources
 * under {@code reference/k8s-1.33} and refreshed from {@code ../shared/reference/k8s-1.33} by
 * {@code scripts/refresh-reference.sh}, which lists them. {@code -Dkubefake.reference=DIR} or
 * {@code KUBEFAKE_REFERENCE=DIR} reads a full recording instead.
 *
 * <p>Paths are relative to the recording's root, as in its README: {@code http/err-notfound.json},
 * {@code kubectl/1.33/yaml-replicaset.out}, {@code cluster-shape/kubeadm-manifests/etcd.yaml}.
 */
public final class Reference {

    /** The system property that points at another copy of the recording. */
    public static final String PROPERTY = "kubefake.reference";
    /** The environment variable that does the same (the property wins). */
    public static final String ENVIRONMENT = "KUBEFAKE_REFERENCE";

    private static final String RESOURCE = "/reference/k8s-1.33/README.md";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Path root;

    private Reference() {
    }

    /** The recording's root directory. */
    public static synchronized Path root() {
        if (root == null) {
            root = locate();
        }
        return root;
    }

    private static Path locate() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(PROPERTY + "/" + ENVIRONMENT + " names " + dir + ", which is not a directory");
            }
            return dir;
        }
        URL readme = Reference.class.getResource(RESOURCE);
        if (readme == null) {
            throw new IllegalStateException(RESOURCE + " is not on the test classpath (the testkit module's resources)");
        }
        return directoryOf(readme);
    }

    /** The directory of a resource, in target/classes or, when a build tests against the packaged jar, in the jar. */
    static Path directoryOf(URL resource) {
        try {
            URI uri = resource.toURI();
            if (uri.getScheme().equals("jar")) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException alreadyOpen) {
                    // opened by an earlier lookup: Path.of finds it
                }
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open " + resource, e);
        }
    }

    /** A file of the recording; fails, naming what to do, when the repository's copy lacks it. */
    public static Path path(String relative) {
        Path file = root().resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException(relative + " is not in the recording at " + root()
                    + ": add it to the list in scripts/refresh-reference.sh and run that script");
        }
        return file;
    }

    public static String text(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String relative) {
        return parse(JSON, relative);
    }

    public static JsonNode yaml(String relative) {
        return parse(YAML, relative);
    }

    /**
     * The files directly in a directory of the recording whose names match the regular expression, as sorted
     * relative paths for {@link #json}, {@link #yaml} and {@link #text}.
     */
    public static List<String> files(String directory, String nameRegex) {
        try (Stream<Path> files = Files.list(path(directory))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.matches(nameRegex)).sorted()
                    .map(name -> directory + "/" + name).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON body of a recorded HTTP answer: {@code http("err-notfound")} reads {@code http/err-notfound.json}. */
    public static JsonNode http(String name) {
        return json("http/" + name + ".json");
    }

    /**
     * A recorded HTTP body as the server sent it: {@code http/NAME.json} without the newline the recording adds at
     * the end of its files (the recorded Content-Length says so).
     */
    public static byte[] httpBody(String name) {
        try {
            byte[] file = Files.readAllBytes(path("http/" + name + ".json"));
            return file.length == 0 ? file : java.util.Arrays.copyOf(file, file.length - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Content-Length recorded in {@code http/NAME.head}, or null when the answer had none. */
    public static String httpContentLength(String name) {
        for (String line : text("http/" + name + ".head").split("\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) return line.substring(15).trim();
        }
        return null;
    }

    /** What kubectl of that version printed on stdout for a recorded command ({@code kubectl/1.29/NAME.out}). */
    public static String kubectlOut(String version, String name) {
        return text("kubectl/" + version + "/" + name + ".out");
    }

    /** What kubectl of that version printed on stderr for a recorded command ({@code kubectl/1.29/NAME.err}). */
    public static String kubectlErr(String version, String name) {
        return text("kubectl/" + version + "/" + name + ".err");
    }

    /** An object (or List) as kubectl 1.33 printed it with {@code -o yaml}: {@code kubectlYaml("yaml-replicaset")}. */
    public static JsonNode kubectlYaml(String name) {
        return yaml("kubectl/1.33/" + name + ".out");
    }

    private static JsonNode parse(ObjectMapper mapper, String relative) {
        try (var in = Files.newInputStream(path(relative))) {
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(relative + ": " + e.getMessage(), e);
        }
    }
}
