package kubefake.server.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import kubefake.server.printers.FieldSet;
import kubefake.server.printers.TablePrinter;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A stored object read for a JSON Table row whose {@code object} is its metadata (includeObject=Metadata, kubectl's
 * default): the tree the printer reads, of only the fields it declares ({@link TablePrinter#reads}) and never
 * {@code metadata.managedFields} (no printer reads them, and they are about half of a pod's JSON), and the metadata as
 * a raw JSON value cut from the stored bytes, which the row writes as they are instead of serializing the parsed
 * metadata again. The stored bytes are the registry's own encoding of the object, so the cut is what serializing its
 * parsed metadata would write, byte for byte. What the printer does not read is passed over with {@link JsonScan},
 * without a parser's tokens; what it reads is parsed as before, value by value.
 */
record RowInput(ObjectNode tree, JsonNode metadata, int metadataLength) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static RowInput of(StoredObject stored, FieldSet reads) {
        byte[] json = stored.json();
        ObjectNode tree = NODES.objectNode();
        tree.put("kind", stored.type().kind()).put("apiVersion", stored.type().groupVersion());
        try {
            Reader reader = new Reader(json);
            RawJson metadata = reader.top(tree, reads);
            return metadata != null ? new RowInput(tree, NODES.rawValueNode(new RawValue(metadata)), metadata.length())
                    : new RowInput(tree, NODES.objectNode(), 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A position in the stored bytes, moved member by member. */
    private static final class Reader {
        private final byte[] json;
        private int pos;

        Reader(byte[] json) {
            this.json = json;
        }

        /** The object's members the printer reads into {@code tree}; the metadata's raw bytes (null if none). */
        RawJson top(ObjectNode tree, FieldSet reads) throws IOException {
            RawJson metadata = null;
            pos = JsonScan.skipWhitespace(json, 0);
            if (pos >= json.length || json[pos] != '{') throw new IOException("not a JSON object");
            if (enter('}')) return null;
            do {
                String name = name();
                FieldSet read = reads.member(name);
                if (name.equals("metadata") && json[pos] == '{') {
                    int start = pos;
                    if (read != null) tree.set("metadata", object(read, true));
                    else pos = JsonScan.valueEnd(json, pos);
                    metadata = new RawJson(json, start, pos - start);
                } else if (read != null) {
                    tree.set(name, value(read));
                } else {
                    pos = JsonScan.valueEnd(json, pos);
                }
            } while (next('}'));
            return metadata;
        }

        /** The object at pos, of these members (never managedFields in the metadata); pos moves past it. */
        private ObjectNode object(FieldSet reads, boolean isMetadata) throws IOException {
            ObjectNode node = NODES.objectNode();
            if (enter('}')) return node;
            do {
                String name = name();
                FieldSet read = isMetadata && name.equals("managedFields") ? null : reads.member(name);
                if (read != null) node.set(name, value(read));
                else pos = JsonScan.valueEnd(json, pos);
            } while (next('}'));
            return node;
        }

        /** The value at pos, of these fields (each object of an array alike); pos moves past it. */
        private JsonNode value(FieldSet read) throws IOException {
            byte first = json[pos];
            if (!read.whole() && first == '{') return object(read, false);
            if (!read.whole() && first == '[') {
                ArrayNode array = NODES.arrayNode();
                if (enter(']')) return array;
                do {
                    array.add(json[pos] == '{' ? object(read, false) : whole());
                } while (next(']'));
                return array;
            }
            return whole();
        }

        /**
         * The value at pos parsed whole, into the tree Jackson's {@code readTree} makes of it; pos moves past it.
         * Objects, arrays, plain strings, literals and integers are read here: a parser made for each small value
         * (a restartCount, a condition) cost more than the value. Escaped strings and fractions, which no printer's
         * fields of a pod hold, are left to Jackson.
         */
        private JsonNode whole() throws IOException {
            int start = pos;
            switch (json[pos]) {
                case '{':
                    return object(FieldSet.WHOLE, false);
                case '[': {
                    ArrayNode array = NODES.arrayNode();
                    if (enter(']')) return array;
                    do {
                        array.add(whole());
                    } while (next(']'));
                    return array;
                }
                case '"':
                    pos = JsonScan.stringEnd(json, pos);
                    if (!JsonScan.hasEscape(json, start + 1, pos - 1)) {
                        return NODES.textNode(new String(json, start + 1, pos - start - 2, StandardCharsets.UTF_8));
                    }
                    return Json.MAPPER.readTree(json, start, pos - start);
                case 't':
                    pos += 4;
                    return NODES.booleanNode(true);
                case 'f':
                    pos += 5;
                    return NODES.booleanNode(false);
                case 'n':
                    pos += 4;
                    return NODES.nullNode();
                default:
                    pos = JsonScan.valueEnd(json, pos);
                    JsonNode integer = integer(start, pos);
                    return integer != null ? integer : Json.MAPPER.readTree(json, start, pos - start);
            }
        }

        /**
         * The integer in [from, to) as Jackson reads it (an int if it fits, else a long), or null if it is not one
         * of at most 18 digits (a fraction, an exponent, a big integer).
         */
        private JsonNode integer(int from, int to) {
            int i = json[from] == '-' ? from + 1 : from;
            if (i == to || to - i > 18) return null;
            long value = 0;
            for (; i < to; i++) {
                int digit = json[i] - '0';
                if (digit < 0 || digit > 9) return null;
                value = value * 10 + digit;
            }
            if (json[from] == '-') value = -value;
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        }

        /** A member's name at pos; pos moves to its value. */
        private String name() throws IOException {
            if (json[pos] != '"') throw new IOException("a member's name expected at byte " + pos);
            int start = pos;
            pos = JsonScan.stringEnd(json, pos);
            String name = JsonScan.hasEscape(json, start + 1, pos - 1)
                    ? Json.MAPPER.readTree(json, start, pos - start).textValue()
                    : MemberNames.of(json, start + 1, pos - 1);
            pos = JsonScan.skipWhitespace(json, pos);
            if (json[pos] != ':') throw new IOException("':' expected at byte " + pos);
            pos = JsonScan.skipWhitespace(json, pos + 1);
            return name;
        }

        /** Past the opening bracket at pos: whether the container is empty (then pos is past its end too). */
        private boolean enter(char close) {
            pos = JsonScan.skipWhitespace(json, pos + 1);
            if (json[pos] == close) {
                pos++;
                return true;
            }
            return false;
        }

        /** After a member or an element: whether another follows (pos at it), or the container ends (pos past it). */
        private boolean next(char close) throws IOException {
            pos = JsonScan.skipWhitespace(json, pos);
            if (json[pos] == ',') {
                pos = JsonScan.skipWhitespace(json, pos + 1);
                return true;
            }
            if (json[pos] == close) {
                pos++;
                return false;
            }
            throw new IOException("',' or '" + close + "' expected at byte " + pos);
        }
    }

    /** A slice of UTF-8 JSON written as it is by the generator ({@code writeRawValue}). */
    private record RawJson(byte[] bytes, int offset, int length) implements SerializableString {
        @Override
        public String getValue() {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int at) {
            if (at + length > buffer.length) return -1;
            System.arraycopy(bytes, offset, buffer, at, length);
            return length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int at) {
            String s = getValue();
            if (at + s.length() > buffer.length) return -1;
            s.getChars(0, s.length(), buffer, at);
            return s.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes, offset, length);
            return length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < length) return -1;
            buffer.put(bytes, offset, length);
            return length;
        }
    }
}
