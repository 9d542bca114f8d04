package kubefake.nodesim.kubelet;

import kubefake.client.runtime.Cancellable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One pull at a time, in the order asked, with a timer the test fires by hand. */
class ImagePullerTest {
    private final List<Runnable> timers = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final ImagePuller puller = new ImagePuller((delay, task) -> {
        timers.add(task);
        return () -> timers.remove(task);
    });

    private Cancellable ask(String name) {
        return puller.pull(() -> {
            log.add("begin " + name);
            return Duration.ofSeconds(1);
        }, () -> log.add("done " + name));
    }

    /** Fires the one pull under way. */
    private void finishPull() {
        assertEquals(1, timers.size(), "one pull under way");
        timers.remove(0).run();
    }

    @Test
    void pullsOneAtATimeInTheOrderAsked() {
        ask("a");
        ask("b");
        ask("c");
        assertEquals(List.of("begin a"), log);
        assertEquals(2, puller.waiting());
        finishPull();
        finishPull();
        finishPull();
        assertEquals(List.of("begin a", "done a", "begin b", "done b", "begin c", "done c"), log);
        assertEquals(0, timers.size());
    }

    @Test
    void aCancelledRequestLeavesTheQueueAndAPullUnderWayRunsItsCourse() {
        Cancellable a = ask("a");
        Cancellable b = ask("b");
        ask("c");
        b.cancel();
        a.cancel(); // begun: the puller stays busy until it is over, but nobody is told
        assertEquals(List.of("begin a"), log);
        finishPull();
        finishPull();
        assertEquals(List.of("begin a", "begin c", "done c"), log);
    }

    @Test
    void aRequestWithNothingToPullGivesItsTurnToTheNext() {
        puller.pull(() -> null, () -> log.add("done none"));
        ask("a");
        assertEquals(List.of("begin a"), log);
        finishPull();
        assertEquals(List.of("begin a", "done a"), log);
    }

    @Test
    void stoppingDropsTheQueueAndThePullUnderWay() {
        ask("a");
        ask("b");
        puller.stop();
        assertEquals(0, timers.size());
        assertEquals(0, puller.waiting());
        ask("c");
        finishPull();
        assertEquals(List.of("begin a", "begin c", "done c"), log);
    }
}
