package kubefake.store.mvcc;

import io.etcd.jetcd.Client;
import kubefake.store.etcd.EtcdConnection;
import kubefake.store.etcd.EtcdKeyValueStore;
import kubefake.testkit.EtcdServer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The implementations of the store's contract its tests run against ({@code @ParameterizedClass @EnumSource}): the
 * in-memory store, and the etcd backend on a real etcd started by the tests (skipped where there is none, unless
 * KUBEFAKE_ETCD_REQUIRED). On etcd every store gets a key prefix of its own on one shared server, so revisions do not
 * start at 0: tests count from {@link KeyValueStore#currentRevision()} at their start.
 */
enum Backend {
    MEMORY {
        @Override
        KeyValueStore open() {
            return new MemoryKeyValueStore();
        }
    },
    ETCD {
        private final AtomicInteger stores = new AtomicInteger();
        private Client client;

        @Override
        synchronized KeyValueStore open() {
            EtcdServer server = EtcdServer.shared();
            if (client == null) {
                try {
                    client = new EtcdConnection(List.of(server.clientUrl()), null, null, null, null).client();
                } catch (javax.net.ssl.SSLException e) {
                    throw new IllegalStateException(e);
                }
            }
            String prefix = "/contract-" + ProcessHandle.current().pid() + "-" + stores.incrementAndGet();
            return new EtcdKeyValueStore(client, "", prefix, STAMPER, false);
        }
    };

    /**
     * Test values that carry their revision are "rv=REVISION" (what {@link Values#withRevision} encodes); on etcd they
     * are stored as "rv=0" and stamped on read, as the registry's objects are.
     */
    static final RevisionStamper STAMPER = (stored, revision) -> {
        String text = new String(stored, StandardCharsets.UTF_8);
        return text.equals("rv=0") ? ("rv=" + revision).getBytes(StandardCharsets.UTF_8) : stored;
    };

    abstract KeyValueStore open();
}
