package kubefake.store.durability;

import kubefake.store.mvcc.KeyValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code DATA_DIR/store/snap}: the newest snapshot, named by its revision (16 hex digits); older ones are removed. */
final class SnapshotDirectory {
    private static final String SUFFIX = ".snap";
    private final Path dir;

    SnapshotDirectory(Path dir) {
        this.dir = dir;
    }

    Path directory() {
        return dir;
    }

    static String name(long revision) {
        return String.format(Locale.ROOT, "%016x", revision) + SUFFIX;
    }

    /** The newest snapshot, if any; leftovers of an interrupted write are removed. */
    Optional<Path> newest() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            for (Path f : all) {
                if (f.getFileName().toString().endsWith(".tmp")) {
                    Files.delete(f);
                }
            }
            return all.stream().filter(f -> f.getFileName().toString().matches("[0-9a-f]{16}\\.snap"))
                    .max(Comparator.comparing(f -> f.getFileName().toString()));
        }
    }

    /** Writes the snapshot at {@code revision}, then removes the older ones. */
    void write(long revision, Collection<KeyValue> kvs) throws IOException {
        Path file = dir.resolve(name(revision));
        SnapshotFile.writeFile(file, revision, kvs);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.matches("[0-9a-f]{16}\\.snap") && n.compareTo(file.getFileName().toString()) < 0) {
                    Files.delete(f);
                }
            }
        }
    }
}
