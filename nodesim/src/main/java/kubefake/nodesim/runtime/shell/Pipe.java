package kubefake.nodesim.runtime.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A pipe between two stages of a pipeline that run together: what the writer wrote and the reader has not taken yet,
 * handed to a waiting reader as it is written. A writer whose reader has gone writes into nothing and dies of SIGPIPE
 * at its next command ({@link Writer#broken}); one that is {@link Writer#full} waits there until the reader has
 * taken what is buffered, as a write(2) into a full pipe blocks. Not thread-safe: the process's thread drives both
 * ends. A waiting end's continuation runs in the call of the other end that wakes it, or, when that call is itself
 * a continuation, right after it (one loop per thread runs them): a reader taking line after line and a writer
 * refilling the pipe go round in a loop, not down the stack.
 */
public final class Pipe {
    /** The continuations of this thread's pipes waiting for the one running now to return, or null when none runs. */
    private static final ThreadLocal<java.util.ArrayDeque<Runnable>> CONTINUATIONS = new ThreadLocal<>();

    /** Runs {@code task} now, or after the pipe continuation this thread is running. */
    private static void continueWith(Runnable task) {
        java.util.ArrayDeque<Runnable> queued = CONTINUATIONS.get();
        if (queued != null) {
            queued.add(task);
            return;
        }
        queued = new java.util.ArrayDeque<>();
        CONTINUATIONS.set(queued);
        try {
            for (Runnable next = task; next != null; next = queued.poll()) next.run();
        } finally {
            CONTINUATIONS.remove();
        }
    }

    /** What a pipe buffers before its writer waits (Linux's default pipe size). */
    static final int CAPACITY = 64 * 1024;
    /** What a reader that needs the whole input ({@code wc}, {@code sort}) keeps of it at most; beyond, the writer waits. */
    static final int WHOLE_INPUT_MAX = 16 * 1024 * 1024;

    private byte[] buffer = new byte[256];
    private int start;
    private int end;
    private boolean writerClosed;
    private boolean readerClosed;
    /** The reader waiting for data or the end, or null. */
    private Waiting reader;
    /** The writer waiting for the buffer to empty, or null. */
    private Runnable writerWaiting;
    private boolean waking;
    private boolean wakeAgain;

    private interface Waiting {
        /** Takes what is buffered, or sees the end; true when it is done waiting. */
        boolean wake();
    }

    private final Writer writer = new Writer();
    private final Reader readEnd = new Reader();

    public Writer writer() {
        return writer;
    }

    public Reader reader() {
        return readEnd;
    }

    private int buffered() {
        return end - start;
    }

    private void append(byte[] data) {
        if (readerClosed || data.length == 0) return;
        if (end + data.length > buffer.length) {
            int size = buffered();
            byte[] grown = size + data.length > buffer.length ? new byte[Math.max(buffer.length * 2, size + data.length)] : buffer;
            System.arraycopy(buffer, start, grown, 0, size);
            buffer = grown;
            start = 0;
            end = size;
        }
        System.arraycopy(data, 0, buffer, end, data.length);
        end += data.length;
        wakeReader();
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
            if (buffer.length > CAPACITY) buffer = new byte[256];
        }
        return out;
    }

    /**
     * Lets the waiting reader take what came. What its taking sets off (a woken writer writing more, the reader's
     * continuation asking for more) while it takes wakes it again in this loop, so that no write goes unseen.
     */
    private void wakeReader() {
        if (waking) {
            wakeAgain = true;
            return;
        }
        waking = true;
        try {
            do {
                wakeAgain = false;
                Waiting r = reader;
                if (r == null) return;
                reader = null;
                if (!r.wake() && reader == null) reader = r;
            } while (wakeAgain);
        } finally {
            waking = false;
        }
    }

    private void wakeWriter() {
        if (writerWaiting == null || buffered() > 0 && !readerClosed) return;
        Runnable w = writerWaiting;
        writerWaiting = null;
        continueWith(w);
    }

    /** The stage writing into the pipe: its standard output. */
    public final class Writer implements Output {
        @Override
        public void text(String text) {
            append(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void bytes(byte[] data) {
            append(data);
        }

        /** Whether the reader has gone: what is written is lost, and the writer dies of SIGPIPE. */
        public boolean broken() {
            return readerClosed;
        }

        /** Whether the writer should wait for the reader before it writes more. */
        public boolean full() {
            return !readerClosed && buffered() >= CAPACITY;
        }

        /** Runs {@code then} once the reader has taken what is buffered (or has gone). */
        public void whenDrained(Runnable then) {
            if (!full()) {
                continueWith(then);
                return;
            }
            writerWaiting = then;
        }

        /** The writer's end: the reader sees end-of-file once it has taken what is buffered. */
        public void close() {
            if (writerClosed) return;
            writerClosed = true;
            wakeReader();
        }
    }

    /** The stage reading from the pipe: its standard input. */
    public final class Reader {
        /**
         * The next line once it is whole (with its newline), or the rest without one when the writer closed after it,
         * or null at the end: a shell's {@code read}, a filter taking lines as they come.
         */
        public void readLine(Consumer<String> line) {
            Waiting w = () -> {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        deliver(line, new String(take(i - start + 1), StandardCharsets.UTF_8));
                        return true;
                    }
                }
                if (!writerClosed) return false;
                deliver(line, buffered() == 0 ? null : new String(take(buffered()), StandardCharsets.UTF_8));
                return true;
            };
            reader = w;
            wakeReader();
        }

        /** What is buffered as soon as there is some ({@code cat}, {@code tr}), or null at the end. */
        public void readSome(Consumer<byte[]> data) {
            Waiting w = () -> {
                if (buffered() > 0) {
                    deliver(data, take(buffered()));
                    return true;
                }
                if (!writerClosed) return false;
                continueWith(() -> data.accept(null));
                return true;
            };
            reader = w;
            wakeReader();
        }

        /** Everything the writer writes until it closes (a program that needs its whole input). */
        public void readAll(Consumer<byte[]> all) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Waiting w = new Waiting() {
                @Override
                public boolean wake() {
                    if (buffered() > 0 && got.size() < WHOLE_INPUT_MAX) {
                        got.writeBytes(take(buffered()));
                        wakeWriter();
                    }
                    if (!writerClosed || buffered() > 0) return false;
                    continueWith(() -> all.accept(got.toByteArray()));
                    return true;
                }
            };
            reader = w;
            wakeReader();
        }

        /** The reader's end: a writer still writing dies of SIGPIPE; what is buffered is dropped. */
        public void close() {
            if (readerClosed) return;
            readerClosed = true;
            reader = null;
            start = 0;
            end = 0;
            buffer = new byte[0];
            wakeWriter();
        }

        /** Hands a taken chunk over, then lets a waiting writer go on if the buffer emptied. */
        private <T> void deliver(Consumer<T> to, T value) {
            wakeWriter();
            continueWith(() -> to.accept(value));
        }
    }
}
