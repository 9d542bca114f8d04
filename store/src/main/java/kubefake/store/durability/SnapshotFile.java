package kubefake.store.durability;

import kubefake.store.mvcc.KeyValue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The store's state at one revision: every live key with its value and revisions. The periodic snapshots and
 * {@code kubefake snapshot save} write this format; recovery and {@code snapshot restore} read it.
 * <pre>
 * "KFSNAP01" | long revision | long key count
 * per key: int key length | key (UTF-8) | long createRevision | long modRevision | long version | int value length | value
 * int CRC32C of everything before it
 * </pre>
 */
public final class SnapshotFile {
    private static final byte[] MAGIC = "KFSNAP01".getBytes(StandardCharsets.US_ASCII);

    private SnapshotFile() {
    }

    /**
     * What {@code kubefake snapshot status} prints.
     *
     * @param size the file's size in bytes
     * @param hash the CRC32C of the contents, which the file's last four bytes carry
     */
    public record Status(long revision, long keys, long size, int hash) {
        public String hashHex() {
            return String.format(Locale.ROOT, "%08x", hash);
        }
    }

    /** Writes the snapshot of {@code kvs} (every live key at {@code revision}) to {@code out}; returns its status. */
    public static Status write(OutputStream out, long revision, Collection<KeyValue> kvs) throws IOException {
        CRC32C crc = new CRC32C();
        CountingOutputStream counted = new CountingOutputStream(new BufferedOutputStream(out, 1 << 16));
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(counted, crc));
        data.write(MAGIC);
        data.writeLong(revision);
        data.writeLong(kvs.size());
        for (KeyValue kv : kvs) {
            byte[] key = kv.key().getBytes(StandardCharsets.UTF_8);
            data.writeInt(key.length);
            data.write(key);
            data.writeLong(kv.createRevision());
            data.writeLong(kv.modRevision());
            data.writeLong(kv.version());
            data.writeInt(kv.value().length);
            data.write(kv.value());
        }
        data.flush();
        int hash = (int) crc.getValue();
        DataOutputStream trailer = new DataOutputStream(counted);
        trailer.writeInt(hash);
        trailer.flush();
        return new Status(revision, kvs.size(), counted.count, hash);
    }

    /** Writes the snapshot to {@code file} durably and atomically (aside, fsync, rename). */
    public static Status writeFile(Path file, long revision, Collection<KeyValue> kvs) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Status status;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            status = write(out, revision, kvs);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            LogSegments.syncDirectory(dir);
        }
        return status;
    }

    /**
     * Reads a snapshot, handing each key to {@code sink} as it goes; the checksum is verified at the end, so a
     * caller must discard what it received when this throws.
     *
     * @throws CorruptStoreException when the file is not a whole, intact snapshot
     */
    public static Status read(Path file, Consumer<KeyValue> sink) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), sink);
        }
    }

    /** As {@link #read(Path, Consumer)}, from a stream named {@code source} in messages. */
    public static Status read(InputStream raw, String source, Consumer<KeyValue> sink) throws IOException {
        CRC32C crc = new CRC32C();
        CountingInputStream counted = new CountingInputStream(new BufferedInputStream(raw, 1 << 16));
        DataInputStream data = new DataInputStream(new CheckedInputStream(counted, crc));
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptStoreException(source + ": not a kubefake snapshot");
            }
            long revision = data.readLong();
            long keys = data.readLong();
            if (revision < 0 || keys < 0) {
                throw new CorruptStoreException(source + ": a damaged snapshot header");
            }
            for (long i = 0; i < keys; i++) {
                byte[] key = new byte[length(data, source)];
                data.readFully(key);
                long create = data.readLong();
                long mod = data.readLong();
                long version = data.readLong();
                byte[] value = new byte[length(data, source)];
                data.readFully(value);
                if (mod > revision || create > mod || create < 1 || version < 1) {
                    throw new CorruptStoreException(source + ": key " + (i + 1) + " has impossible revisions");
                }
                sink.accept(new KeyValue(new String(key, StandardCharsets.UTF_8), value, create, mod, version));
            }
            int expected = (int) crc.getValue();
            int stored = new DataInputStream(counted).readInt();
            if (stored != expected) {
                throw new CorruptStoreException(source + ": checksum mismatch (the file says " + hex(stored)
                        + ", its contents are " + hex(expected) + "): the snapshot is damaged");
            }
            if (counted.read() != -1) {
                throw new CorruptStoreException(source + ": data after the end of the snapshot");
            }
            return new Status(revision, keys, counted.count, stored);
        } catch (EOFException e) {
            throw new CorruptStoreException(source + ": the snapshot ends early, after " + counted.count
                    + " bytes (truncated?)");
        }
    }

    /** Verifies a snapshot and says what it holds. */
    public static Status status(Path file) throws IOException {
        return read(file, kv -> { });
    }

    private static int length(DataInputStream data, String source) throws IOException {
        int n = data.readInt();
        if (n < 0 || n > LogRecords.MAX_PAYLOAD) {
            throw new CorruptStoreException(source + ": an impossible length " + n + " (damaged snapshot)");
        }
        return n;
    }

    private static String hex(int crc) {
        return String.format(Locale.ROOT, "%08x", crc);
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
