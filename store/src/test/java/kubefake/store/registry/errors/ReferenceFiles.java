package kubefake.store.registry.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the recording of a real Kubernetes 1.33 server ({@code shared/reference/k8s-1.33}) next to the
 * repository, walking up from the working directory, and reads its JSON and YAML files.
 */
public final class ReferenceFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ReferenceFiles() {
    }

    /** The reference directory; fails the test when it cannot be found. */
    public static Path root() {
        String configured = System.getProperty("kubefake.reference");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/reference/k8s-1.33");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/reference/k8s-1.33 not found above " + Path.of("").toAbsolutePath());
    }

    /** A JSON file under {@code http/}. */
    public static JsonNode httpJson(String name) {
        return read(JSON, root().resolve("http").resolve(name));
    }

    /** A YAML object recorded by {@code kubectl get -o yaml} under {@code kubectl/1.33/}. */
    public static JsonNode kubectlYaml(String name) {
        return read(YAML, root().resolve("kubectl/1.33").resolve(name + ".out"));
    }

    /** A kubeadm static pod manifest under {@code cluster-shape/kubeadm-manifests/}. */
    public static JsonNode staticPodManifest(String component) {
        return read(YAML, root().resolve("cluster-shape/kubeadm-manifests").resolve(component + ".yaml"));
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
