package kubefake.store.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The log's files: {@code REVISION.wal} (the first revision it holds, 16 hex digits), each starting with a header
 * (magic and that revision). A segment is created whole (written aside, fsynced, renamed), so its header is never torn.
 */
final class LogSegments {
    static final byte[] MAGIC = "KFWAL001".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = MAGIC.length + 8;
    private static final String SUFFIX = ".wal";

    private LogSegments() {
    }

    /** A segment file and the first revision its name says it holds. */
    record Segment(Path file, long firstRevision) {
    }

    static String name(long firstRevision) {
        return String.format(Locale.ROOT, "%016x", firstRevision) + SUFFIX;
    }

    /** The directory's segments by first revision; leftovers of an interrupted creation are removed. */
    static List<Segment> list(Path dir) throws IOException {
        List<Segment> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String n = f.getFileName().toString();
                if (n.endsWith(".tmp")) {
                    Files.delete(f);
                } else if (n.matches("[0-9a-f]{16}\\.wal")) {
                    segments.add(new Segment(f, Long.parseUnsignedLong(n.substring(0, 16), 16)));
                }
            }
        }
        return segments;
    }

    /** Creates an empty segment starting at {@code firstRevision}, durably, and opens it for appending. */
    static FileChannel create(Path dir, long firstRevision) throws IOException {
        Path file = dir.resolve(name(firstRevision));
        Path tmp = dir.resolve(name(firstRevision) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).put(MAGIC).putLong(firstRevision).flip();
            while (header.hasRemaining()) {
                ch.write(header);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
        return openForAppend(file);
    }

    static FileChannel openForAppend(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        ch.position(ch.size());
        return ch;
    }

    /** Makes a directory's entries (a created, renamed or deleted file) durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; their renames are as durable as they get
        }
    }
}
