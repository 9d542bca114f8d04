package kubefake.store.durability;

import kubefake.store.mvcc.Event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of one log record, one per revision:
 * <pre>
 * int  payload length
 * int  CRC32C of the payload
 * payload: byte type (1 put, 2 delete) | long revision | int key length | key (UTF-8) | put only: int value length | value
 * </pre>
 * A replay derives createRevision and version from the key's previous value, as the write did.
 */
final class LogRecords {
    static final int HEADER = 8;
    static final byte PUT = 1;
    static final byte DELETE = 2;
    /** type + revision + key length: the smallest payload (a delete of the empty key). */
    static final int MIN_PAYLOAD = 1 + 8 + 4;
    /** Far above any object the API accepts (3 MiB requests): a larger length is damage, not data. */
    static final int MAX_PAYLOAD = 256 << 20;

    private LogRecords() {
    }

    /** A record read back. {@code value} is null for a delete. */
    record Record(long revision, String key, byte[] value) {
    }

    static int size(Event event) {
        int size = HEADER + MIN_PAYLOAD + utf8Length(event.kv().key());
        return event.type() == Event.Type.PUT ? size + 4 + event.kv().value().length : size;
    }

    /** Appends the event's record to {@code out}, which has room for {@link #size} bytes. */
    static void encode(Event event, ByteBuffer out) {
        int start = out.position();
        out.position(start + HEADER);
        int payloadStart = out.position();
        boolean put = event.type() == Event.Type.PUT;
        out.put(put ? PUT : DELETE);
        out.putLong(event.revision());
        byte[] key = event.kv().key().getBytes(StandardCharsets.UTF_8);
        out.putInt(key.length).put(key);
        if (put) {
            byte[] value = event.kv().value();
            out.putInt(value.length).put(value);
        }
        int payloadLength = out.position() - payloadStart;
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + payloadStart, payloadLength);
        out.putInt(start, payloadLength);
        out.putInt(start + 4, (int) crc.getValue());
    }

    /**
     * The record at {@code offset} of {@code in} (absolute positions, {@code in}'s position untouched), or why there
     * is none: {@link Damage}.
     */
    static Object decode(ByteBuffer in, int offset) {
        int limit = in.limit();
        if (limit - offset < HEADER) {
            return new Damage(Damage.Kind.INCOMPLETE, "an incomplete record header (" + (limit - offset) + " bytes)");
        }
        int length = in.getInt(offset);
        if (length < MIN_PAYLOAD || length > MAX_PAYLOAD) {
            return new Damage(Damage.Kind.BAD_LENGTH, "an impossible record length " + length);
        }
        if (limit - offset - HEADER < length) {
            return new Damage(Damage.Kind.INCOMPLETE,
                    "an incomplete record (" + (limit - offset - HEADER) + " of " + length + " bytes)");
        }
        int payload = offset + HEADER;
        CRC32C crc = new CRC32C();
        crc.update(in.slice(payload, length));
        if ((int) crc.getValue() != in.getInt(offset + 4)) {
            return new Damage(Damage.Kind.CHECKSUM, "a checksum mismatch");
        }
        byte type = in.get(payload);
        long revision = in.getLong(payload + 1);
        int keyLength = in.getInt(payload + 9);
        int keyStart = payload + 13;
        if (type != PUT && type != DELETE || keyLength < 0 || keyLength > length - MIN_PAYLOAD) {
            return new Damage(Damage.Kind.MALFORMED, "a malformed record");
        }
        String key = new String(bytes(in, keyStart, keyLength), StandardCharsets.UTF_8);
        byte[] value = null;
        if (type == PUT) {
            int valueAt = keyStart + keyLength;
            int valueLength = length - MIN_PAYLOAD - keyLength - 4;
            if (valueLength < 0 || in.getInt(valueAt) != valueLength) {
                return new Damage(Damage.Kind.MALFORMED, "a malformed record");
            }
            value = bytes(in, valueAt + 4, valueLength);
        } else if (keyLength != length - MIN_PAYLOAD) {
            return new Damage(Damage.Kind.MALFORMED, "a malformed record");
        }
        return new Decoded(new Record(revision, key, value), HEADER + length);
    }

    /** A record and how many bytes it took. */
    record Decoded(Record record, int size) {
    }

    /** Why no record could be read at an offset. */
    record Damage(Kind kind, String description) {
        enum Kind { INCOMPLETE, BAD_LENGTH, CHECKSUM, MALFORMED }
    }

    private static byte[] bytes(ByteBuffer in, int at, int length) {
        byte[] b = new byte[length];
        in.get(at, b);
        return b;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
