package kubefake.store.durability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the log back on start, in revision order, and decides what damage means. A record that cannot be read
 * in the last segment, with nothing readable after it, is a torn tail: a write cut short by a crash, never
 * acknowledged (it was not fsynced); the file is truncated there and the log says so. Anything else that cannot be
 * read (damage followed by readable records, damage in an earlier segment, a revision out of sequence, a segment
 * that does not start where the previous one ended) is corruption: the store refuses to start rather than serve a
 * history with a hole.
 */
final class LogScanner {
    private static final Logger LOG = LoggerFactory.getLogger(LogScanner.class);

    /** Receives each record to apply. */
    interface Sink {
        void accept(LogRecords.Record record);
    }

    private LogScanner() {
    }

    /**
     * Reads every segment, giving {@code sink} each record after {@code afterRevision} (those at or below it are in
     * the snapshot; they are checked but not applied).
     *
     * @return the last revision read (afterRevision when the log holds nothing newer)
     * @throws CorruptStoreException when the log cannot be trusted
     */
    static long scan(List<LogSegments.Segment> segments, long afterRevision, Sink sink) throws IOException {
        long last = afterRevision;
        Long expected = null;
        for (int i = 0; i < segments.size(); i++) {
            LogSegments.Segment segment = segments.get(i);
            boolean lastSegment = i == segments.size() - 1;
            if (expected == null) {
                if (segment.firstRevision() > afterRevision + 1) {
                    throw new CorruptStoreException(segment.file() + ": the log starts at revision " + segment.firstRevision()
                            + " but the snapshot ends at revision " + afterRevision + ": revisions "
                            + (afterRevision + 1) + ".." + (segment.firstRevision() - 1) + " are missing");
                }
            } else if (segment.firstRevision() != expected) {
                throw new CorruptStoreException(segment.file() + ": starts at revision " + segment.firstRevision()
                        + " but the previous segment ends before revision " + expected);
            }
            expected = segment.firstRevision();
            try (FileChannel ch = FileChannel.open(segment.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer in = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                checkHeader(segment, in);
                int offset = LogSegments.HEADER;
                while (offset < in.limit()) {
                    Object read = LogRecords.decode(in, offset);
                    if (read instanceof LogRecords.Damage damage) {
                        if (!lastSegment || readableAfter(in, offset, expected)) {
                            throw new CorruptStoreException(segment.file() + ": " + damage.description() + " at offset " + offset
                                    + " (where revision " + expected + " should be), and readable records after it: the log"
                                    + " is corrupt in the middle; refusing to start. Restore a snapshot (kubefake snapshot"
                                    + " restore) into a new data directory, or move " + segment.file() + " and the files after it away"
                                    + " to start from revision " + (expected - 1));
                        }
                        LOG.warn("{}: torn write at the end of the log: {} at offset {} ({} bytes after the last complete"
                                        + " record, revision {}); it was never acknowledged: truncating the file to {} bytes",
                                segment.file(), damage.description(), offset, in.limit() - offset, expected - 1, offset);
                        ch.truncate(offset);
                        ch.force(true);
                        break;
                    }
                    LogRecords.Decoded decoded = (LogRecords.Decoded) read;
                    long revision = decoded.record().revision();
                    if (revision != expected) {
                        throw new CorruptStoreException(segment.file() + ": the record at offset " + offset + " is revision "
                                + revision + " where revision " + expected + " should be; refusing to start");
                    }
                    if (revision > afterRevision) {
                        sink.accept(decoded.record());
                        last = revision;
                    }
                    expected++;
                    offset += decoded.size();
                }
            }
        }
        return last;
    }

    private static void checkHeader(LogSegments.Segment segment, ByteBuffer in) throws CorruptStoreException {
        byte[] magic = new byte[LogSegments.MAGIC.length];
        if (in.limit() < LogSegments.HEADER) {
            throw new CorruptStoreException(segment.file() + ": too short for a log segment (" + in.limit() + " bytes)");
        }
        in.get(0, magic);
        long first = in.getLong(LogSegments.MAGIC.length);
        if (!Arrays.equals(magic, LogSegments.MAGIC) || first != segment.firstRevision()) {
            throw new CorruptStoreException(segment.file() + ": not a kubefake log segment starting at revision "
                    + segment.firstRevision());
        }
    }

    /**
     * Whether a well-formed record of a later revision starts anywhere after the damage at {@code offset}: if so
     * the damage is not the end of what was written. Candidates are filtered by their revision before their checksum
     * is computed, so this stays cheap over the tail of a segment.
     */
    private static boolean readableAfter(ByteBuffer in, int offset, long expected) {
        int limit = in.limit();
        for (int at = offset + 1; at + LogRecords.HEADER + LogRecords.MIN_PAYLOAD <= limit; at++) {
            int length = in.getInt(at);
            if (length < LogRecords.MIN_PAYLOAD || length > limit - at - LogRecords.HEADER) {
                continue;
            }
            byte type = in.get(at + LogRecords.HEADER);
            long revision = in.getLong(at + LogRecords.HEADER + 1);
            if (type != LogRecords.PUT && type != LogRecords.DELETE || revision < expected
                    || revision > expected + (limit - offset) / (LogRecords.HEADER + LogRecords.MIN_PAYLOAD)) {
                continue;
            }
            if (LogRecords.decode(in, at) instanceof LogRecords.Decoded) {
                return true;
            }
        }
        return false;
    }
}
