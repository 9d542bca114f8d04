package kubefake.store.mvcc;

/**
 * The preset dictionary that values of one resource are deflated against when there is no successor to deflate them
 * against ({@link ValueDeltas}): the objects of one kind in one cluster share most of their bytes (field names,
 * managedFields, the same reasons and messages), so a value deflates to a fraction of what it does alone (an event's
 * 1 KB to ~150 bytes instead of ~490). Trained from the resource's recent values: a sample of them, newest last (zlib
 * codes the nearest matches cheapest), retrained now and then so that it follows what the cluster writes.
 *
 * <p>A dictionary is never changed once handed out: the values packed with it keep it for their inflation, so an old
 * one lives as long as they do. Used by the packer's one thread.
 */
final class PresetDictionary {
    /**
     * zlib uses at most 32 KB of a dictionary; a few values give most of the gain, and each value deflated or inflated
     * against it pays for setting it up (deflating a 1 KB event: ~6 µs alone, ~16 µs against 8 KB): so at most this,
     * and about four values' worth of smaller values (an event's 4 KB deflates it to 145 bytes, 8 KB to 141).
     */
    static final int MAX_LENGTH = 8 * 1024;
    /** A dictionary holds about this many values' worth of bytes (of the value that trains it). */
    private static final int VALUES_WORTH = 4;
    /** How many recent values a dictionary is made of. */
    private static final int SAMPLES = 8;
    /** Every so many values one is sampled, so that the sample spans more than one burst of alike values. */
    private static final int SAMPLE_EVERY = 16;
    /** A dictionary serves at most this many values before the next is trained; the first ones serve fewer. */
    private static final int MAX_USES = 4096;

    private final byte[][] samples = new byte[SAMPLES][];
    private long seen;
    private byte[] current;
    private int uses;
    /** How many values the current dictionary serves before it is trained again: doubles up to MAX_USES. */
    private int usesBeforeTraining = 1;

    /** The dictionary to deflate {@code value} against, which the caller keeps with the packed value. */
    byte[] forValue(byte[] value) {
        if (seen++ % SAMPLE_EVERY == 0) samples[(int) ((seen / SAMPLE_EVERY) % SAMPLES)] = value;
        if (current == null || uses >= usesBeforeTraining) {
            current = train(Math.min(MAX_LENGTH, VALUES_WORTH * value.length));
            uses = 0;
            usesBeforeTraining = Math.min(MAX_USES, usesBeforeTraining * 2);
        }
        uses++;
        return current;
    }

    /** The samples concatenated, oldest first, cut to {@code length} from the newest end. */
    private byte[] train(int length) {
        int newest = (int) (((seen - 1) / SAMPLE_EVERY) % SAMPLES);
        byte[] out = new byte[length];
        int start = length;
        for (int i = 0; i < SAMPLES && start > 0; i++) {
            byte[] sample = samples[Math.floorMod(newest - i, SAMPLES)];
            if (sample == null) continue;
            int n = Math.min(sample.length, start);
            System.arraycopy(sample, sample.length - n, out, start - n, n);
            start -= n;
        }
        return java.util.Arrays.copyOfRange(out, start, length);
    }
}
