package kubefake.controllers.nodelifecycle;

import java.time.Instant;

/**
 * What the controller remembers of a node between passes ({@code nodeHealthData}): when it last heard from the
 * node (its Ready heartbeat changed, or its Lease was renewed), and the heartbeat and Lease it saw then.
 *
 * @param readyHeartbeat  the Ready condition's lastHeartbeatTime as last seen, or null when it had none
 * @param readyTransition the Ready condition's lastTransitionTime as last seen
 * @param leaseRenewTime  the Lease's renewTime as last seen, or null
 */
record NodeHealth(Instant probeTimestamp, Instant readyTransitionTimestamp, String readyHeartbeat, String readyTransition,
                  Instant leaseRenewTime) {

    NodeHealth withProbe(Instant probe) {
        return new NodeHealth(probe, readyTransitionTimestamp, readyHeartbeat, readyTransition, leaseRenewTime);
    }

    NodeHealth withLease(Instant renew, Instant probe) {
        return new NodeHealth(probe, readyTransitionTimestamp, readyHeartbeat, readyTransition, renew);
    }
}
