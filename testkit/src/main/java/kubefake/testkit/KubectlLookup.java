package kubefake.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the kubectl of one minor version ("1.29") is, looked up in this order:
 * <ol>
 * <li>the paths listed in {@code KUBEFAKE_KUBECTL} (separated by {@code :} or {@code ,}; a directory stands for
 * the {@code kubectl*} files in it), each of the version it reports, or else the one its name ends with;</li>
 * <li>{@code kubectl.1.29} on the PATH;</li>
 * <li>{@code kubectl.1.29} beside the real file of the first {@code kubectl} on the PATH (the gcloud SDK keeps
 * {@code kubectl.1.27} ... {@code kubectl.1.33} beside its {@code kubectl});</li>
 * <li>the first {@code kubectl} on the PATH, if it reports that version.</li>
 * </ol>
 * When nothing is found, {@link #whereLooked} says where it looked, for the skipped test's message.
 */
final class KubectlLookup {

    /** A kubectl binary of a minor version and how it was found. */
    record Found(String version, Path binary, String how) {
    }

    /** The version of a binary (what it reports, else its name), or why it has none. */
    private record Probe(Optional<String> version, String note) {
    }

    private static final Pattern VERSION_AT_END = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)?$");

    private final String listed;
    private final List<Path> pathDirectories;
    private final Function<Path, Optional<String>> reportedVersion;
    private final Map<Path, Probe> probes = new HashMap<>();

    /**
     * @param listed          the value of {@code KUBEFAKE_KUBECTL}, or null
     * @param path            the value of {@code PATH}, or null
     * @param reportedVersion the minor version a binary reports when run (empty if it reports none, or a
     *                        dispatcher's)
     */
    KubectlLookup(String listed, String path, Function<Path, Optional<String>> reportedVersion) {
        this.listed = listed == null || listed.isBlank() ? null : listed;
        this.pathDirectories = path == null ? List.of()
                : Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(Path::of).toList();
        this.reportedVersion = reportedVersion;
    }

    synchronized Optional<Found> find(String version) {
        for (Path binary : listedBinaries()) {
            if (probe(binary).version().filter(version::equals).isPresent()) {
                return Optional.of(new Found(version, binary, "KUBEFAKE_KUBECTL"));
            }
        }
        String versioned = "kubectl." + version;
        for (Path dir : pathDirectories) {
            if (isExecutableFile(dir.resolve(versioned))) {
                return Optional.of(new Found(version, dir.resolve(versioned), versioned + " on the PATH"));
            }
        }
        Optional<Path> plain = plainOnPath();
        if (plain.isPresent()) {
            Path beside = realPath(plain.get()).resolveSibling(versioned);
            if (isExecutableFile(beside)) {
                return Optional.of(new Found(version, beside, "beside the kubectl on the PATH"));
            }
            if (probe(plain.get()).version().filter(version::equals).isPresent()) {
                return Optional.of(new Found(version, plain.get(), "the kubectl on the PATH"));
            }
        }
        return Optional.empty();
    }

    /** Where {@link #find} looked for that version, in its order. */
    synchronized String whereLooked(String version) {
        String versioned = "kubectl." + version;
        List<String> places = new ArrayList<>();
        if (listed == null) {
            places.add("KUBEFAKE_KUBECTL (not set)");
        } else {
            List<String> seen = listedBinaries().stream().map(b -> b + " " + probe(b).note()).toList();
            places.add("KUBEFAKE_KUBECTL (" + (seen.isEmpty() ? "no executable in " + listed : String.join(", ", seen)) + ")");
        }
        places.add(versioned + " on the PATH");
        Optional<Path> plain = plainOnPath();
        if (plain.isPresent()) {
            places.add(versioned + " beside " + realPath(plain.get()));
            places.add("the kubectl on the PATH (" + plain.get() + " " + probe(plain.get()).note() + ")");
        } else {
            places.add("beside a kubectl on the PATH (there is none)");
        }
        return String.join(", ", places);
    }

    /** The binaries KUBEFAKE_KUBECTL lists, in its order; a directory gives its kubectl* files, sorted. */
    private List<Path> listedBinaries() {
        if (listed == null) {
            return List.of();
        }
        List<Path> binaries = new ArrayList<>();
        for (String entry : listed.split("[:,]")) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry.trim());
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(f -> f.getFileName().toString().startsWith("kubectl"))
                            .filter(KubectlLookup::isExecutableFile).sorted().forEach(binaries::add);
                } catch (IOException e) {
                    // an unreadable directory holds nothing usable
                }
            } else if (isExecutableFile(path)) {
                binaries.add(path);
            }
        }
        return binaries;
    }

    private Optional<Path> plainOnPath() {
        return pathDirectories.stream().map(d -> d.resolve("kubectl")).filter(KubectlLookup::isExecutableFile).findFirst();
    }

    private Probe probe(Path binary) {
        return probes.computeIfAbsent(binary, b -> {
            Optional<String> reported = reportedVersion.apply(b);
            if (reported.isPresent()) {
                return new Probe(reported, "reports " + reported.get());
            }
            Matcher named = VERSION_AT_END.matcher(b.getFileName().toString());
            if (named.find()) {
                String version = named.group(1) + "." + named.group(2);
                return new Probe(Optional.of(version), "named " + version);
            }
            return new Probe(Optional.empty(), "reports no single version and has none in its name");
        });
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }
}
