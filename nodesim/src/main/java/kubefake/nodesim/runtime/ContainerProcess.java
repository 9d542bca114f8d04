package kubefake.nodesim.runtime;

import java.time.Instant;

/**
 * One run of a container as its runtime knows it: the process's plan from its start, and when it ends (planned, as a
 * process that exits on its own or is being stopped, or past).
 *
 * @param containerId the ID the pod's status shows ({@code containerd://<64 hex>})
 * @param podUid      the pod it belongs to
 * @param container   the container's name in the pod
 * @param startedAt   when the process started
 * @param timeline    what it does from then on
 * @param endsAt      when it ends or ended, or null while it runs with no end in sight
 * @param exitCode    the code it ends with (when {@code endsAt} is set)
 * @param live        the process as it runs (a script, or one reading the container's stdin), or null when it is
 *                    planned ({@code timeline} says all)
 */
public record ContainerProcess(String containerId, String podUid, String container, Instant startedAt, Timeline timeline,
                               Instant endsAt, int exitCode, LiveProcess live) {

    /** Whether the process has ended by {@code now}. */
    public boolean endedBy(Instant now) {
        return endsAt != null && !endsAt.isAfter(now);
    }

    /** The last instant its output can have reached by {@code now}: now, or its end if that came first. */
    public Instant outputUntil(Instant now) {
        return endsAt != null && endsAt.isBefore(now) ? endsAt : now;
    }

    ContainerProcess ending(Instant at, int code) {
        return new ContainerProcess(containerId, podUid, container, startedAt, timeline, at, code, live);
    }
}
