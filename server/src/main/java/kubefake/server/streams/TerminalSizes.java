package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * The resize stream (SPDY) or channel 4 (WebSocket) of an exec or attach with a TTY: a sequence of JSON objects
 * {@code {"Width":W,"Height":H}} (remotecommand's {@code TerminalSize}), the first sent as soon as the session opens.
 * Read as the kubelet's {@code handleResizing} reads it, a JSON decoder over the stream: objects may be split across
 * messages; a message that is not one ends the reading of sizes (the kubelet logs it) but not the session.
 */
final class TerminalSizes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BiConsumer<Integer, Integer> resized;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private boolean broken;

    /** {@code resized} is told each size as (width, height). */
    TerminalSizes(BiConsumer<Integer, Integer> resized) {
        this.resized = resized;
    }

    void data(byte[] bytes) {
        if (broken) return;
        for (byte b : bytes) {
            partial.write(b);
            if (b == '}') {
                byte[] object = partial.toByteArray();
                partial.reset();
                if (!decode(object)) {
                    broken = true;
                    return;
                }
            }
        }
    }

    private boolean decode(byte[] object) {
        try {
            JsonNode size = JSON.readTree(object);
            JsonNode width = size.path("Width");
            JsonNode height = size.path("Height");
            if (!size.isObject() || !(width.isMissingNode() || width.canConvertToInt()) || !(height.isMissingNode() || height.canConvertToInt())) {
                return false;
            }
            resized.accept(Math.max(0, width.asInt()) & 0xFFFF, Math.max(0, height.asInt()) & 0xFFFF); // Go's uint16s
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
