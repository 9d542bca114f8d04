package kubefake.server.protobuf;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One protobuf message being written, field by field in the order given (the caller keeps field-number order, as
 * gogo-protobuf does). Nested messages are written whole: their bytes first, then tag, length and bytes here.
 */
final class ProtoBytes {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 512);

    /** A varint field: int32, int64, uint32, uint64 and enums (a negative int32 takes ten bytes, as in Go). */
    void int64(int field, long value) {
        write(() -> out.writeUInt64(field, value));
    }

    void bool(int field, boolean value) {
        write(() -> out.writeBool(field, value));
    }

    void sint64(int field, long value) {
        write(() -> out.writeSInt64(field, value));
    }

    void fixed64(int field, long value) {
        write(() -> out.writeFixed64(field, value));
    }

    void fixed32(int field, int value) {
        write(() -> out.writeFixed32(field, value));
    }

    void string(int field, String value) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-delimited field: bytes, a string's UTF-8, or a nested message. */
    void bytes(int field, byte[] value) {
        write(() -> {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(value.length);
            out.writeRawBytes(value);
        });
    }

    /** The tag and length of a length-delimited field whose {@code length} bytes the caller writes after these. */
    void lengthPrefix(int field, int length) {
        write(() -> {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(length);
        });
    }

    /** The size of a length-delimited field (tag, length and bytes) of {@code length} bytes. */
    static int lengthDelimitedSize(int field, int length) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }

    private interface Write {
        void run() throws IOException;
    }

    /** The stream writes into memory: an IOException cannot happen. */
    private static void write(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }
}
