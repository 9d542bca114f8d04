package kubefake.store.mvcc;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A value deflated against another (zlib's preset dictionary): a superseded revision of an object against the
 * revision that replaced it, which differs from it in a few fields, so that what is left is about the difference (a
 * pod's 2-11 KB revision packs into 100-200 bytes against its successor, against 2.4 KB deflated alone).
 */
final class ValueDeltas {
    private ValueDeltas() {
    }

    /** {@code value} deflated against {@code dictionary} (alone when null), with the caller's deflater. */
    static byte[] deflate(byte[] value, byte[] dictionary, Deflater deflater) {
        deflater.reset();
        if (dictionary != null && dictionary.length > 0) deflater.setDictionary(dictionary);
        deflater.setInput(value);
        deflater.finish();
        byte[] out = new byte[Math.max(64, value.length / 4)];
        int length = 0;
        while (!deflater.finished()) {
            if (length == out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
            length += deflater.deflate(out, length, out.length - length);
        }
        return java.util.Arrays.copyOf(out, length);
    }

    /**
     * Each thread's inflater, reset for each value: a new one per value cost more than the inflating (its native
     * state and window allocated and freed, a cleaner registered), which a LIST of packed values pays per item. No
     * inflation runs inside another on one thread: a value packed against another inflates that one first.
     */
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

    /** The {@code length} bytes that {@link #deflate} packed into {@code packed} against {@code dictionary}. */
    static byte[] inflate(byte[] packed, byte[] dictionary, int length) {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        try {
            inflater.setInput(packed);
            byte[] out = new byte[length];
            int read = 0;
            while (read < length) {
                int n = inflater.inflate(out, read, length - read);
                if (n == 0) {
                    if (!inflater.needsDictionary() || dictionary == null) break;
                    inflater.setDictionary(dictionary);
                }
                read += n;
            }
            if (read != length) {
                throw new IllegalStateException("a packed value inflated to " + read + " bytes, not " + length);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalStateException("a packed value does not inflate", e);
        }
    }
}
