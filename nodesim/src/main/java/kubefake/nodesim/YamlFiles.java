package kubefake.nodesim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads kubefake's own YAML files (profiles, the image catalogue, cluster shapes) into their records. SnakeYAML
 * parses (so that anchors and aliases work: a profile reuses an event with {@code *pulled}), Jackson maps, refusing
 * fields it does not know so that a typo is an error rather than a setting silently ignored.
 */
public final class YamlFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private YamlFiles() {
    }

    public static <T> T read(byte[] yaml, Class<T> type) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object tree = new Yaml(new SafeConstructor(options)).load(new String(yaml, StandardCharsets.UTF_8));
        if (tree == null) throw new IllegalArgumentException("the file is empty");
        return MAPPER.convertValue(tree, type);
    }

    /** A user's file; what is wrong with it is one line naming the file ({@code FILE: unknown field "sise"...}). */
    public static <T> T load(Path file, Class<T> type) throws IOException {
        try {
            return read(Files.readAllBytes(file), type);
        } catch (IOException | RuntimeException e) {
            throw problem(file, e);
        }
    }

    /** An IOException whose message is the file and the first line of the deepest cause's message. */
    public static IOException problem(Path file, Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String message = t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse("");
        return new IOException(file + ": " + message);
    }
}
