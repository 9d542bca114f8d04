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
 * messages; a message that is not one ends the reading of sizes but not the session. A size with no width or height is
 * skipped, as containerd's {@code HandleResizing} skips it.
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

    /** A field decoded as Go's uint16 does (absent is 0), or -1 when Go's decoder would fail. */
    private static int uint16(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) return 0;
        if (!value.isIntegralNumber() || !value.canConvertToInt()) return -1;
        int v = value.asInt();
        return v >= 0 && v <= 0xFFFF ? v : -1;
    }

    private boolean decode(byte[] object) {
        try {
            JsonNode size = JSON.readTree(object);
            if (!size.isObject()) return false;
            int width = uint16(size.path("Width"));
            int height = uint16(size.path("Height"));
            if (width < 0 || height < 0) return false;
            // the runtime's HandleResizing skips a size with no width or height
            if (width > 0 && height > 0) resized.accept(width, height);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
