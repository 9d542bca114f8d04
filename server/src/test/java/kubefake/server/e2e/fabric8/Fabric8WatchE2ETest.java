package kubefake.server.e2e.fabric8;

/**
 * Watches as fabric8 opens them by default: a WebSocket upgrade of the watch request, which a real API server
 * accepts (101 Switching Protocols, one message per event); fabric8 falls back to plain HTTP only when the
 * upgrade is refused.
 */
class Fabric8WatchE2ETest extends Fabric8WatchContract {
    @Override
    boolean onlyHttpWatches() {
        return false;
    }
}
