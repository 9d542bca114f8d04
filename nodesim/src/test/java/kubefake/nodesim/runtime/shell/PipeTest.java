package kubefake.nodesim.runtime.shell;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipeTest {
    /** What the pipes handed to the process's timer. */
    private final List<Runnable> later = new ArrayList<>();

    @Test
    void aWaitingReaderGetsEachLineOnceItIsWholeAndTheRestAtTheEnd() {
        Pipe pipe = new Pipe(later::add);
        List<String> lines = new ArrayList<>();
        Consumer<String> reader = new Consumer<>() {
            @Override
            public void accept(String line) {
                lines.add(line);
                if (line != null) pipe.reader().readLine(this);
            }
        };
        pipe.reader().readLine(reader);
        pipe.writer().text("a");
        assertEquals(List.of(), lines, "half a line waits");
        pipe.writer().text("b\nc\nd");
        assertEquals(List.of("ab\n", "c\n"), lines);
        pipe.writer().close();
        assertEquals(java.util.Arrays.asList("ab\n", "c\n", "d", null), lines);
    }

    @Test
    void aFullPipeHoldsItsWriterUntilTheReaderTookWhatItHolds() {
        Pipe pipe = new Pipe(later::add);
        pipe.writer().bytes(new byte[Pipe.CAPACITY]);
        assertTrue(pipe.writer().full());
        boolean[] resumed = {false};
        pipe.writer().whenDrained(() -> resumed[0] = true);
        assertFalse(resumed[0]);
        int[] got = {0};
        pipe.reader().readSome(data -> got[0] = data.length);
        assertEquals(Pipe.CAPACITY, got[0]);
        assertTrue(resumed[0], "the writer goes on once the pipe is empty");
    }

    @Test
    void aWriterWhoseReaderHasGoneWritesIntoNothingAndIsBroken() {
        Pipe pipe = new Pipe(later::add);
        pipe.writer().text("lost\n");
        boolean[] resumed = {false};
        pipe.writer().bytes(new byte[Pipe.CAPACITY]);
        pipe.writer().whenDrained(() -> resumed[0] = true);
        pipe.reader().close();
        assertTrue(resumed[0], "a waiting writer is let go");
        assertFalse(pipe.writer().full());
        assertFalse(pipe.writer().broken(), "not broken until it writes again");
        pipe.writer().text("into nothing\n");
        assertTrue(pipe.writer().broken());
    }

    @Test
    void anEndlessWriterAndItsReaderGiveTheThreadBackAfterATurn() {
        Pipe pipe = new Pipe(later::add);
        int[] lines = {0};
        Runnable[] write = new Runnable[1];
        write[0] = () -> {
            pipe.writer().text("y\n");
            pipe.writer().whenDrained(write[0]);
        };
        pipe.reader().readLine(new Consumer<>() {
            @Override
            public void accept(String line) {
                lines[0]++;
                pipe.reader().readLine(this);
            }
        });
        write[0].run();
        assertFalse(later.isEmpty(), "the rest waits for the timer");
        int first = lines[0];
        assertTrue(first > 0 && first < Pipe.TURN, "lines in the first turn: " + first);
        List<Runnable> next = new ArrayList<>(later);
        later.clear();
        next.forEach(Runnable::run);
        assertTrue(lines[0] > first, "and goes on when the timer runs it");
    }

    @Test
    void aReaderOfTheWholeInputFailsPastItsLimitAndTheWriterIsBroken() {
        Pipe pipe = new Pipe(later::add);
        byte[][] all = {new byte[0]};
        pipe.reader().readAll(data -> all[0] = data);
        for (int i = 0; i <= Pipe.WHOLE_INPUT_MAX / Pipe.CAPACITY; i++) pipe.writer().bytes(new byte[Pipe.CAPACITY]);
        assertEquals(null, all[0]);
        pipe.writer().text("more\n");
        assertTrue(pipe.writer().broken(), "the reader went: the writer's next write breaks it");
    }

    @Test
    void aReaderOfTheWholeInputTakesMoreThanThePipeHoldsAndKeepsTheWriterGoing() {
        Pipe pipe = new Pipe(later::add);
        byte[][] all = {null};
        pipe.reader().readAll(data -> all[0] = data);
        for (int i = 0; i < 5; i++) {
            pipe.writer().bytes(new byte[Pipe.CAPACITY]);
            assertFalse(pipe.writer().full(), "the reader took it");
        }
        pipe.writer().text("end");
        assertEquals(null, all[0]);
        pipe.writer().close();
        assertEquals(5 * Pipe.CAPACITY + 3, all[0].length);
        assertEquals("end", new String(all[0], 5 * Pipe.CAPACITY, 3, StandardCharsets.UTF_8));
    }
}
