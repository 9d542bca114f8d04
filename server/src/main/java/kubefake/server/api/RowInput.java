package kubefake.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A stored object read for a JSON Table row whose {@code object} is its metadata (includeObject=Metadata, kubectl's
 * default): the tree the printer reads, without {@code metadata.managedFields} (no printer reads them, and they are
 * about half of a pod's JSON), and the metadata as a raw JSON value cut from the stored bytes, which the row writes as
 * they are instead of serializing the parsed metadata again. The stored bytes are the registry's own encoding of the
 * object, so the cut is what serializing its parsed metadata would write, byte for byte.
 */
record RowInput(ObjectNode tree, JsonNode metadata) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static RowInput of(StoredObject stored) {
        byte[] json = stored.json();
        ObjectNode tree = NODES.objectNode();
        tree.put("kind", stored.type().kind()).put("apiVersion", stored.type().groupVersion());
        JsonNode metadata = null;
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("metadata") && value == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    ObjectNode meta = tree.putObject("metadata");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if (field.equals("managedFields")) p.skipChildren();
                        else meta.set(field, Json.MAPPER.readTree(p));
                    }
                    int end = (int) p.currentTokenLocation().getByteOffset() + 1; // after the metadata's closing brace
                    metadata = NODES.rawValueNode(new RawValue(new RawJson(json, start, end - start)));
                } else {
                    tree.set(name, Json.MAPPER.readTree(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RowInput(tree, metadata != null ? metadata : NODES.objectNode());
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
