package kubefake.server.cli;

import kubefake.kubeconfig.Kubeconfig;
import kubefake.kubeconfig.KubeconfigMerge;
import kubefake.kubeconfig.KubeconfigYaml;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Clusters side by side, as kind's: cluster NAME lives in {@code ~/.kubefake/NAME} (its data dir, with
 * {@code kubefake.pid} while it runs) and is context, cluster and user {@code kubefake-NAME} in the user's kubeconfig.
 */
final class NamedClusters {
    /** A DNS label, as kind's cluster names, so that kubefake-NAME is one too. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,52}[a-z0-9])?");
    /** What the unnamed cluster keeps in ~/.kubefake: not names. */
    private static final List<String> RESERVED = List.of("pki", "store");
    static final String PID_FILE = "kubefake.pid";

    private NamedClusters() {
    }

    static void validate(String name, CommandLine cli) {
        if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new CommandLine.ParameterException(cli, "--name: '" + name + "' is not a valid cluster name: lower case"
                    + " letters, digits and '-', starting and ending with a letter or digit, at most 54 characters (not pki or store)");
        }
    }

    static Path root() {
        return UpCommand.homeDirectory().resolve(".kubefake");
    }

    static Path dataDir(String name) {
        return root().resolve(name);
    }

    static String context(String name) {
        return "kubefake-" + name;
    }

    /** The kubeconfig file kubectl writes to ($KUBECONFIG's first existing file, else its last; else ~/.kube/config). */
    static Path kubeconfigFile() {
        return KubeconfigMerge.target(System.getenv("KUBECONFIG"), UpCommand.homeDirectory());
    }

    /** The names of the clusters in ~/.kubefake (running or not), sorted. */
    static List<String> names() {
        if (!Files.isDirectory(root())) return List.of();
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("admin.conf")))
                    .map(d -> d.getFileName().toString()).filter(n -> NAME.matcher(n).matches() && !RESERVED.contains(n))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cluster's admin kubeconfig with its entries named kubefake-NAME, or empty when there is no such cluster. */
    static Optional<Kubeconfig> kubeconfig(String name) {
        Path adminConf = dataDir(name).resolve("admin.conf");
        if (!Files.isRegularFile(adminConf)) return Optional.empty();
        Kubeconfig admin = KubeconfigYaml.read(adminConf);
        String ctx = context(name);
        return Optional.of(new Kubeconfig(List.of(new Kubeconfig.NamedCluster(ctx, admin.clusters().get(0).cluster())),
                List.of(new Kubeconfig.NamedContext(ctx, new Kubeconfig.Context(ctx, ctx, null))), ctx,
                List.of(new Kubeconfig.NamedUser(ctx, admin.users().get(0).user()))));
    }

    /** Merges the cluster's entries into the user's kubeconfig and makes its context current; the file written. */
    static Path export(String name) {
        Kubeconfig k = kubeconfig(name).orElseThrow(() -> new IllegalArgumentException("no kubefake cluster named " + name));
        Path file = kubeconfigFile();
        KubeconfigMerge.merge(file, context(name), k);
        return file;
    }

    /** The process serving the cluster, if it runs. */
    static Optional<ProcessHandle> process(String name) {
        Path pid = dataDir(name).resolve(PID_FILE);
        try {
            if (!Files.isRegularFile(pid)) return Optional.empty();
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
