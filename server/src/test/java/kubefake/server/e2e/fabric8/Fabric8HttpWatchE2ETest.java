package kubefake.server.e2e.fabric8;

/** Watches as fabric8 opens them with {@code onlyHttpWatches}: a long chunked HTTP response, one JSON line per event. */
class Fabric8HttpWatchE2ETest extends Fabric8WatchContract {
    @Override
    boolean onlyHttpWatches() {
        return true;
    }
}
