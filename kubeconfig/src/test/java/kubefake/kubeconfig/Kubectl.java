package kubefake.kubeconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubefake.testkit.KubectlBinaries;

/** The real kubectl 1.33 binary, found by {@link KubectlBinaries}. */
final class Kubectl {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path binary;

    private Kubectl(Path binary) {
        this.binary = binary;
    }

    /** kubectl 1.33, or the test is reported skipped saying where it was looked for. */
    static Kubectl v133() {
        return new Kubectl(KubectlBinaries.require("1.33"));
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
