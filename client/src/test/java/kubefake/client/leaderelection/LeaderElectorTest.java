package kubefake.client.leaderelection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.TestCluster;
import kubefake.client.runtime.ManualClusterClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two candidates for one Lease on a clock the test moves (ticks run as they fall due): exactly one leads, the
 * other takes over no sooner than the lease duration after the last renewal it saw and at its first try after that,
 * a released Lease is taken at the next try, and a leader that finds another holder stops leading.
 */
class LeaderElectorTest {
    private final TestCluster cluster = new TestCluster("kube-system");
    private final ManualClusterClock clock = cluster.runtime.clock();
    private final Candidate a = new Candidate("m1_aaaa");
    private final Candidate b = new Candidate("m2_bbbb");

    /**
     * A candidate whose ticks run when due, unless it is paused (a process that was killed, or stopped for a while:
     * its ticks wait for {@link #resume}).
     */
    private final class Candidate {
        final List<String> events = new ArrayList<>();
        final List<Runnable> held = new ArrayList<>();
        boolean paused;
        final Executor lane = task -> {
            if (paused) held.add(task);
            else task.run();
        };
        final LeaderElector elector;

        Candidate(String identity) {
            elector = new LeaderElector(cluster.admin, clock, lane,
                    LeaderElector.Config.defaults("kube-system", "kube-controller-manager", identity),
                    new LeaderElector.Callbacks() {
                        @Override
                        public void onStartedLeading() {
                            events.add("started " + clock.instant());
                        }

                        @Override
                        public void onStoppedLeading() {
                            events.add("stopped " + clock.instant());
                        }
                    });
        }

        void resume() {
            paused = false;
            List<Runnable> due = new ArrayList<>(held);
            held.clear();
            due.forEach(Runnable::run);
        }
    }

    private ObjectNode leaseSpec() {
        return (ObjectNode) cluster.admin.resource("coordination.k8s.io", "leases").get("kube-system", "kube-controller-manager")
                .toNode().path("spec");
    }

    private void advance(int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
    }

    @Test
    void theFirstCandidateLeadsAndKeepsLeadingWhileItRenews() {
        Instant start = clock.instant();
        a.elector.start();
        b.elector.start();
        assertEquals(List.of("started " + start), a.events);
        ObjectNode spec = leaseSpec();
        assertEquals("m1_aaaa", spec.path("holderIdentity").asText());
        assertEquals(15, spec.path("leaseDurationSeconds").asInt());
        assertEquals(0, spec.path("leaseTransitions").asInt());
        assertEquals("2026-01-05T09:00:00.000000Z", spec.path("acquireTime").asText());

        advance(120);
        assertTrue(a.elector.isLeader());
        assertFalse(b.elector.isLeader());
        assertEquals(List.of(), b.events);
        assertEquals("m1_aaaa", b.elector.leader());
        assertEquals("2026-01-05T09:02:00.000000Z", leaseSpec().path("renewTime").asText(), "renewed every 2 s");
        assertEquals("2026-01-05T09:00:00.000000Z", leaseSpec().path("acquireTime").asText());
    }

    @Test
    void whenTheLeaderStopsRenewingTheOtherTakesOverOnceTheLeaseExpired() {
        a.elector.start();
        b.elector.start();
        advance(10);
        a.paused = true; // killed: its last renewal was at 09:00:10, which b saw at that same tick
        Instant lastRenew = Instant.parse("2026-01-05T09:00:10Z");
        assertEquals(lastRenew.toString().replace("Z", ".000000Z"), leaseSpec().path("renewTime").asText());
        advance(14);
        assertFalse(b.elector.isLeader(), "not before the lease duration has passed since the renewal it saw");
        advance(2);
        assertTrue(b.elector.isLeader());
        assertEquals(List.of("started " + lastRenew.plusSeconds(16)), b.events, "at its first try once 15 s had passed");
        ObjectNode spec = leaseSpec();
        assertEquals("m2_bbbb", spec.path("holderIdentity").asText());
        assertEquals(1, spec.path("leaseTransitions").asInt());
        assertEquals("2026-01-05T09:00:26.000000Z", spec.path("acquireTime").asText());
    }

    @Test
    void aLeaderThatFindsAnotherHolderStopsLeading() {
        a.elector.start();
        b.elector.start();
        a.paused = true; // a long pause (a stopped process): b takes over meanwhile
        advance(20);
        assertTrue(b.elector.isLeader());
        a.resume(); // its tick due at 09:00:02 runs now and finds b holding the Lease
        assertEquals(List.of("started 2026-01-05T09:00:00Z", "stopped 2026-01-05T09:00:20Z"), a.events);
        assertFalse(a.elector.isLeader());
        advance(60);
        assertTrue(b.elector.isLeader());
        assertEquals(List.of("started 2026-01-05T09:00:16Z"), b.events);
    }

    @Test
    void aReleasedLeaseIsTakenAtTheNextTry() {
        a.elector.start();
        b.elector.start();
        advance(5);
        a.elector.close();
        assertEquals(List.of("started 2026-01-05T09:00:00Z", "stopped 2026-01-05T09:00:05Z"), a.events);
        ObjectNode spec = leaseSpec();
        assertEquals("", spec.path("holderIdentity").asText());
        assertEquals(1, spec.path("leaseDurationSeconds").asInt());
        advance(1);
        assertEquals(List.of("started 2026-01-05T09:00:06Z"), b.events);
        assertEquals("m2_bbbb", leaseSpec().path("holderIdentity").asText());
        advance(30);
        assertEquals(List.of("started 2026-01-05T09:00:00Z", "stopped 2026-01-05T09:00:05Z"), a.events, "a closed elector tries no more");
    }

    @Test
    void anAbandonedLeaseIsKeptUntilItExpires() {
        a.elector.start();
        b.elector.start();
        a.elector.abandon();
        assertEquals(List.of("started 2026-01-05T09:00:00Z", "stopped 2026-01-05T09:00:00Z"), a.events);
        assertEquals("m1_aaaa", leaseSpec().path("holderIdentity").asText());
        advance(14);
        assertFalse(b.elector.isLeader());
        advance(2);
        assertTrue(b.elector.isLeader());
    }
}
