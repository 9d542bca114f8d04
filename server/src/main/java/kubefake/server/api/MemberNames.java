package kubefake.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Member names read from JSON bytes as Strings, each name made once and then found again by its bytes: a page of a
 * list's Table reads the same few dozen names (metadata, name, conditions, type, status...) from every one of its
 * hundreds of objects, and a String for each was most of what reading them allocated. A fixed table of the names seen
 * last, one per slot of their hash, as a parser's symbol table but bounded: a name unlike any other (a
 * managedFields key, which is passed over anyway) takes a slot until another name's turn, it never grows the table.
 */
final class MemberNames {
    private static final int SLOTS = 1024;
    /** Slots are written without a lock: an entry is immutable, and a lost race only makes a name again. */
    private static final Entry[] TABLE = new Entry[SLOTS];

    private record Entry(byte[] bytes, String name) {
    }

    private MemberNames() {
    }

    /** The name whose UTF-8 bytes (no escapes) are json[from, to). */
    static String of(byte[] json, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) hash = 31 * hash + json[i];
        int slot = (hash ^ hash >>> 16) & (SLOTS - 1);
        Entry e = TABLE[slot];
        if (e != null && Arrays.equals(e.bytes, 0, e.bytes.length, json, from, to)) return e.name;
        String name = new String(json, from, to - from, StandardCharsets.UTF_8);
        TABLE[slot] = new Entry(Arrays.copyOfRange(json, from, to), name);
        return name;
    }
}
