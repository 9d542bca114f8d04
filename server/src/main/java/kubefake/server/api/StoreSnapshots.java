package kubefake.server.api;

import kubefake.server.http.ApiRequest;
import kubefake.server.http.Reply;
import kubefake.store.durability.DurableStore;
import kubefake.store.durability.SnapshotFile;
import kubefake.store.registry.errors.StatusException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * kubefake's own endpoint behind {@code kubefake snapshot save}: the store's state at its current revision, in the
 * {@link SnapshotFile} format, read while writes go on (what etcd's maintenance Snapshot call is to etcdctl). Like
 * {@link NodeFaults} it lives outside {@code /api} and {@code /apis} and is for cluster administrators only: a
 * snapshot holds every Secret.
 *
 * <pre>
 * GET /kubefake/v1/snapshot    the snapshot (application/octet-stream)
 * </pre>
 */
final class StoreSnapshots {
    static final String PATH = "/kubefake/v1/snapshot";

    private volatile DurableStore store;
    private volatile String unavailable = "the store is not open yet";

    void serve(DurableStore durableStore) {
        this.store = durableStore;
    }

    void refuse(String why) {
        this.unavailable = why;
    }

    static boolean handles(String path) {
        return path.equals(PATH);
    }

    Reply handle(ApiRequest req) {
        NodeFaults.requireAdmin(req);
        if (!req.method().name().equals("GET")) throw StatusException.methodNotAllowed();
        DurableStore s = store;
        if (s == null) return Reply.text(503, unavailable + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try {
            s.saveSnapshot(out);
        } catch (IOException e) {
            throw StatusException.internal("writing the snapshot: " + e.getMessage());
        }
        return Reply.of(200, "application/octet-stream", out.toByteArray());
    }
}
