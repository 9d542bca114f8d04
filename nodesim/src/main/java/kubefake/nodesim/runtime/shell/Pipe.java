package kubefake.nodesim.runtime.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A pipe between two stages of a pipeline that run together: what the writer wrote and the reader has not taken yet,
 * handed to a waiting reader as it is written. A writer that writes once its reader has gone writes into nothing and
 * dies of SIGPIPE at its next command ({@link Writer#broken}); one that is {@link Writer#full} waits there until the
 * reader has taken some, as a write(2) into a full pipe blocks.
 *
 * <p>Not thread-safe: the process's thread drives both ends. A waiting end's continuation runs in the call of the
 * other end that wakes it, or, when that call is itself a continuation, right after it (one loop per thread runs
 * them), so that a reader taking line after line and a writer refilling the pipe go round in a loop, not down the
 * stack; after {@link #TURN} continuations the loop hands the rest to the process's timer ({@code later}), so that an
 * endless pipeline ({@code yes | cat}) gives its thread back, and stops when the process has ended.
 */
public final class Pipe {
    /** What a pipe buffers before its writer waits (Linux's default pipe size). */
    static final int CAPACITY = 64 * 1024;
    /**
     * What a reader keeps of its input at most: a program that needs all of it ({@code wc}, {@code sort}), or a line
     * that goes on without a newline; beyond, the first fails ({@link Reader#readAll}) and the second is taken as is.
     */
    public static final int WHOLE_INPUT_MAX = 16 * 1024 * 1024;
    /** Continuations one loop runs before the rest wait for the process's timer. */
    static final int TURN = 256;

    private record Continuation(Pipe pipe, Runnable task) {
    }

    /** This thread's continuations waiting for the one running now to return; null when none runs. */
    private static final ThreadLocal<ArrayDeque<Continuation>> CONTINUATIONS = new ThreadLocal<>();

    private final Consumer<Runnable> later;
    private byte[] buffer = new byte[256];
    private int start;
    private int end;
    /** What the buffer holds before the writer waits: more than {@link #CAPACITY} while a line reader needs more. */
    private int limit = CAPACITY;
    private boolean writerClosed;
    private boolean readerClosed;
    /** Whether something was written after the reader went: the writer dies of SIGPIPE. */
    private boolean writtenAfterClose;
    /** The reader waiting for data or the end, or null. */
    private Waiting reader;
    /** The writers waiting for room, in the order they came (a background job and the stage's own commands). */
    private final List<Runnable> writersWaiting = new ArrayList<>(1);

    private interface Waiting {
        /** Takes what is buffered, or sees the end; true when it is done waiting. */
        boolean wake();
    }

    private final Writer writer = new Writer();
    private final Reader readEnd = new Reader();

    /** @param later runs a task on the process's thread later (its timer); nothing when the process has ended */
    public Pipe(Consumer<Runnable> later) {
        this.later = later;
    }

    public Writer writer() {
        return writer;
    }

    public Reader reader() {
        return readEnd;
    }

    /** Runs {@code task} now, or after the pipe continuation this thread is running. */
    private void continueWith(Runnable task) {
        ArrayDeque<Continuation> queued = CONTINUATIONS.get();
        if (queued != null) {
            queued.add(new Continuation(this, task));
            return;
        }
        queued = new ArrayDeque<>();
        queued.add(new Continuation(this, task));
        runTurn(queued);
    }

    /**
     * Runs the queued continuations and those they queue, up to a turn's worth; the rest go to the timer as one task
     * (one wait, which Ctrl-C cancels) that runs them in the same order in a turn of its own.
     */
    private static void runTurn(ArrayDeque<Continuation> queued) {
        CONTINUATIONS.set(queued);
        RuntimeException failure = null;
        int ran = 0;
        try {
            for (Continuation next = queued.poll(); next != null; next = queued.poll()) {
                if (ran++ >= TURN) { // the thread's turn is over
                    ArrayDeque<Continuation> rest = new ArrayDeque<>();
                    rest.add(next);
                    rest.addAll(queued);
                    queued.clear();
                    next.pipe.later.accept(() -> runTurn(rest));
                    break;
                }
                try {
                    next.task.run();
                } catch (RuntimeException e) { // the other stages' continuations still run
                    if (failure == null) failure = e;
                    else failure.addSuppressed(e);
                }
            }
        } finally {
            CONTINUATIONS.remove();
        }
        if (failure != null) throw failure;
    }

    private int buffered() {
        return end - start;
    }

    private boolean full() {
        return !readerClosed && buffered() >= limit;
    }

    private void append(byte[] data) {
        if (data.length == 0) return;
        if (readerClosed) {
            writtenAfterClose = true;
            return;
        }
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
            limit = CAPACITY;
            if (buffer.length > CAPACITY) buffer = new byte[256];
        }
        return out;
    }

    /**
     * Lets the waiting reader take what came, as a continuation: what its taking sets off (a woken writer writing
     * more, the reader's continuation asking for more) runs after it and wakes it again, so that no write goes unseen
     * and every step counts towards the thread's turn.
     */
    private void wakeReader() {
        continueWith(() -> {
            Waiting r = reader;
            if (r == null) return;
            reader = null;
            if (!r.wake() && reader == null) reader = r;
        });
    }

    /** Lets the waiting writers go on once there is room (or the reader has gone). */
    private void wakeWriters() {
        if (writersWaiting.isEmpty() || full()) return;
        List<Runnable> waiting = new ArrayList<>(writersWaiting);
        writersWaiting.clear();
        for (Runnable w : waiting) continueWith(w);
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

        /** Whether something was written after the reader had gone: it was lost, and the writer dies of SIGPIPE. */
        public boolean broken() {
            return writtenAfterClose;
        }

        /** Whether the writer should wait for the reader before it writes more. */
        public boolean full() {
            return Pipe.this.full();
        }

        /** Runs {@code then} once there is room (or the reader has gone). */
        public void whenDrained(Runnable then) {
            if (!full()) {
                continueWith(then);
                return;
            }
            writersWaiting.add(then);
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
         * or null at the end: a shell's {@code read}, a filter taking lines as they come. A line longer than the pipe
         * holds lets the writer go on until its newline comes (up to {@link #WHOLE_INPUT_MAX}, then it is taken as is).
         */
        public void readLine(Consumer<String> line) {
            int[] scanned = {0}; // bytes after start already looked through for a newline
            Waiting w = () -> {
                for (int i = start + scanned[0]; i < end; i++) {
                    if (buffer[i] == '\n') {
                        deliver(line, new String(take(i - start + 1), StandardCharsets.UTF_8));
                        return true;
                    }
                }
                if (writerClosed || buffered() >= WHOLE_INPUT_MAX) {
                    deliver(line, buffered() == 0 ? null : new String(take(buffered()), StandardCharsets.UTF_8));
                    return true;
                }
                scanned[0] = buffered();
                if (buffered() >= limit) {
                    limit = buffered() + CAPACITY;
                    wakeWriters();
                }
                return false;
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

        /**
         * Everything the writer writes until it closes (a program that needs its whole input), or null when that is
         * more than {@link #WHOLE_INPUT_MAX}: the reader then goes (the writer dies of SIGPIPE at its next write).
         */
        public void readAll(Consumer<byte[]> all) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Waiting w = () -> {
                if (buffered() > 0) {
                    if (got.size() + buffered() > WHOLE_INPUT_MAX) {
                        close();
                        continueWith(() -> all.accept(null));
                        return true;
                    }
                    got.writeBytes(take(buffered()));
                    wakeWriters();
                }
                if (!writerClosed || buffered() > 0) return false;
                continueWith(() -> all.accept(got.toByteArray()));
                return true;
            };
            reader = w;
            wakeReader();
        }

        /** The reader's end: a writer that writes again dies of SIGPIPE; what is buffered is dropped. */
        public void close() {
            if (readerClosed) return;
            readerClosed = true;
            reader = null;
            start = 0;
            end = 0;
            buffer = new byte[0];
            wakeWriters();
        }

        /** Hands a taken chunk over, after letting a waiting writer go on if there is room now. */
        private <T> void deliver(Consumer<T> to, T value) {
            wakeWriters();
            continueWith(() -> to.accept(value));
        }
    }
}
