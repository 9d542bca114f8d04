package kubefake.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reason and message of an error answer, read from whichever media type the request negotiated: a JSON or YAML
 * Status, or a protobuf one (the {@code k8s\0} envelope around a {@code runtime.Unknown} whose raw bytes are the
 * Status message); anything else is plain text (Go's own answers, the timeout filter's text) and has no reason.
 */
record StatusBody(String reason, String message) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final byte[] PROTOBUF_MAGIC = {'k', '8', 's', 0};

    static StatusBody of(RawHttpConnection.Response res) {
        String contentType = String.valueOf(res.header("content-type"));
        byte[] body = res.body();
        try {
            if (contentType.startsWith("application/vnd.kubernetes.protobuf")) return protobuf(body);
            if (contentType.startsWith("application/yaml")) return tree(YAML.readTree(body), res.text());
            return tree(JSON.readTree(body), res.text());
        } catch (IOException | RuntimeException e) {
            return new StatusBody("", res.text());
        }
    }

    private static StatusBody tree(JsonNode status, String text) {
        if (status == null || !status.isObject()) return new StatusBody("", text);
        return new StatusBody(status.path("reason").asText(""), status.path("message").asText(text));
    }

    /** Status fields 3 (message) and 4 (reason) inside field 2 (raw) of the envelope's runtime.Unknown. */
    private static StatusBody protobuf(byte[] body) {
        if (body.length < 4 || !Arrays.equals(Arrays.copyOf(body, 4), PROTOBUF_MAGIC)) {
            return new StatusBody("", new String(body, StandardCharsets.UTF_8));
        }
        byte[] raw = field(body, 4, 2);
        if (raw == null) return new StatusBody("", "");
        byte[] message = field(raw, 0, 3);
        byte[] reason = field(raw, 0, 4);
        return new StatusBody(reason == null ? "" : new String(reason, StandardCharsets.UTF_8),
                message == null ? "" : new String(message, StandardCharsets.UTF_8));
    }

    /** The bytes of the first length-delimited field {@code number} of the message starting at {@code from}. */
    private static byte[] field(byte[] msg, int from, int number) {
        int[] pos = {from};
        while (pos[0] < msg.length) {
            long key = varint(msg, pos);
            int wire = (int) (key & 7);
            switch (wire) {
                case 0 -> varint(msg, pos);
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int len = (int) varint(msg, pos);
                    if (key >>> 3 == number) return Arrays.copyOfRange(msg, pos[0], pos[0] + len);
                    pos[0] += len;
                }
                default -> throw new IllegalArgumentException("wire type " + wire);
            }
        }
        return null;
    }

    private static long varint(byte[] msg, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = msg[pos[0]++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) return v;
        }
    }
}
