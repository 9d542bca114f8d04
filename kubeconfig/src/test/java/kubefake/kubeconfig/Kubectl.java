package kubefake.kubeconfig;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real kubectl 1.33 binary, found next to the {@code kubectl} on the PATH (as {@code kubectl.1.33}). */
final class Kubectl {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path binary;

    private Kubectl(Path binary) {
        this.binary = binary;
    }

    /** kubectl 1.33, or the test is skipped with a message saying it is absent. */
    static Kubectl v133() {
        Optional<Path> found = find("kubectl.1.33");
        assumeTrue(found.isPresent(), "kubectl.1.33 is not installed next to kubectl on the PATH");
        return new Kubectl(found.get());
    }

    private static Optional<Path> find(String versioned) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path kubectl = Path.of(entry, "kubectl");
            if (Files.isExecutable(kubectl)) {
                try {
                    Path sibling = kubectl.toRealPath().resolveSibling(versioned);
                    if (Files.isExecutable(sibling)) {
                        return Optional.of(sibling);
                    }
                } catch (IOException e) {
                    // a dangling link: keep looking
                }
            }
        }
        return Optional.empty();
    }

    Result run(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("kubectl", ".out");
        Path err = Files.createTempFile("kubectl", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("KUBECONFIG");
            builder.environment().put("HOME", kubeconfig.getParent().toString()); // no cache in the real home
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl did not finish: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
