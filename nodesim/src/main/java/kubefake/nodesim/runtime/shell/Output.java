package kubefake.nodesim.runtime.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Where a command's standard output or error goes: the process's stream, a file, a pipe, nowhere. */
public interface Output {
    void text(String text);

    /** Bytes as a program wrote them (an archive), not text. */
    void bytes(byte[] data);

    /** Whether a write failed (a full disk): a program writing on and on stops there, with status 1. */
    default boolean failed() {
        return false;
    }

    /** /dev/null. */
    Output NULL = new Output() {
        @Override
        public void text(String text) {
        }

        @Override
        public void bytes(byte[] data) {
        }
    };

    /** What a pipe or {@code $(...)} collects. */
    final class Capture implements Output {
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        @Override
        public void text(String text) {
            data.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void bytes(byte[] bytes) {
            data.writeBytes(bytes);
        }

        public byte[] toBytes() {
            return data.toByteArray();
        }

        @Override
        public String toString() {
            return data.toString(StandardCharsets.UTF_8);
        }
    }
}
