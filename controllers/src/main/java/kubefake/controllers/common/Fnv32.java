package kubefake.controllers.common;

/**
 * Go's {@code hash/fnv} 32-bit hashes and apimachinery's {@code rand.SafeEncodeString}, which together name
 * ReplicaSets (FNV-1a) and ControllerRevisions (FNV-1).
 */
public final class Fnv32 {
    private static final int OFFSET = 0x811c9dc5;
    private static final int PRIME = 0x01000193;
    /** apimachinery's {@code rand} alphabet: no vowels, no confusable characters. */
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private final boolean a;
    private int hash = OFFSET;

    private Fnv32(boolean a) {
        this.a = a;
    }

    /** {@code fnv.New32()}. */
    public static Fnv32 fnv1() {
        return new Fnv32(false);
    }

    /** {@code fnv.New32a()}. */
    public static Fnv32 fnv1a() {
        return new Fnv32(true);
    }

    public Fnv32 write(byte[] data) {
        for (byte b : data) {
            if (a) {
                hash ^= (b & 0xff);
                hash *= PRIME;
            } else {
                hash *= PRIME;
                hash ^= (b & 0xff);
            }
        }
        return this;
    }

    public long sum32() {
        return Integer.toUnsignedLong(hash);
    }

    /** {@code rand.SafeEncodeString(fmt.Sprint(h.Sum32()))}: the name-safe form of the hash. */
    public String safeEncoded() {
        return safeEncodeString(Long.toString(sum32()));
    }

    /** Each byte mapped onto the alphabet. */
    public static String safeEncodeString(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) b.append(ALPHANUMS.charAt((s.charAt(i) & 0xff) % ALPHANUMS.length()));
        return b.toString();
    }
}
