package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The part of each bundled OpenAPI document that {@link PatchSchema} reads ({@code components.schemas} without its
 * prose), computed when kubefake is built: the store module's {@code process-classes} phase runs {@link #main}, which
 * writes them among the classes under {@code kubefake/openapi-schemas/}. A start then parses 116 kB for the core group
 * rather than skipping through api_v1.json's 1.4 MB, most of it descriptions (~100 ms of CPU on every start,
 * docs/benchmarks/startup.md); the documents themselves stay as they are, served to clients as a real server serves them.
 */
public final class PatchSchemaStructures {
    /** Where they are on the classpath: the bundled document's file name under this directory. */
    static final String RESOURCE_DIRECTORY = "/kubefake/openapi-schemas/";

    private PatchSchemaStructures() {
    }

    /** Reads every {@code *.json} of the directory {@code args[0]} and writes its structure under {@code args[1]}. */
    public static void main(String[] args) throws IOException {
        Path documents = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        try (Stream<Path> files = Files.list(documents)) {
            for (Path document : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                JsonNode schemas;
                try (InputStream in = Files.newInputStream(document)) {
                    schemas = PatchSchema.schemasWithoutProse(in);
                }
                if (schemas == null) throw new IllegalArgumentException(document + ": no components.schemas");
                Files.write(out.resolve(document.getFileName().toString()), Json.bytes(schemas));
            }
        }
    }
}
