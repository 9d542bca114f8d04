package kubefake.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceWatch;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.WatchEvent;
import kubefake.store.registry.WriteOptions;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * kube-controller-manager's namespace controller: when a namespace is Terminating, delete everything in it, and
 * once nothing is left remove the "kubernetes" finalizer (namespaces/finalize), which lets the namespace go.
 * Content that takes time to go (pods waiting for their kubelet) makes it retry every second.
 */
public final class NamespaceController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);
    private static final long RETRY_MILLIS = 1000;

    private final Registry registry;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "namespace-controller");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> queued = new LinkedHashSet<>();
    private ResourceWatch watch;

    public NamespaceController(Registry registry) {
        this.registry = registry;
    }

    public void start() {
        executor.execute(() -> {
            openWatch();
            drain();
        });
    }

    /** A watch of every namespace, from their current state (synthetic ADDED events first). */
    private void openWatch() {
        watch = registry.resource("", "namespaces").watch(null, ListOptions.ALL, () -> executor.execute(this::drain), 10_000);
    }

    private void drain() {
        if (watch == null) return;
        for (WatchEvent e : watch.poll(1000)) {
            if (e.type() == WatchEvent.Type.ADDED || e.type() == WatchEvent.Type.MODIFIED) {
                ObjectNode ns = e.object().toNode();
                if (Json.metadata(ns).has("deletionTimestamp")) enqueue(Json.text(Json.metadata(ns), "name"));
            }
        }
        if (watch.isClosed()) {
            // overflowed: start over from the current state
            openWatch();
            executor.execute(this::drain);
        }
    }

    private void enqueue(String namespace) {
        if (queued.add(namespace)) executor.execute(() -> {
            queued.remove(namespace);
            sync(namespace);
        });
    }

    private void sync(String namespace) {
        try {
            if (!emptyNamespace(namespace)) {
                executor.schedule(() -> enqueue(namespace), RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            registry.resource("", "namespaces").patch("", namespace, ns -> {
                var finalizers = ns.path("spec").path("finalizers");
                var kept = Json.MAPPER.createArrayNode();
                finalizers.forEach(f -> { if (!f.asText().equals("kubernetes")) kept.add(f); });
                ((ObjectNode) ns.with("spec")).set("finalizers", kept);
                return ns;
            }, new WriteOptions(false, "kube-controller-manager", "finalize"));
        } catch (StatusException e) {
            if (e.code() != 404) {
                LOG.warn("namespace {}: {}", namespace, e.getMessage());
                executor.schedule(() -> enqueue(namespace), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.warn("namespace {} cleanup failed", namespace, e);
            executor.schedule(() -> enqueue(namespace), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes what is left in the namespace; true when nothing remains (graceful deletions may still be running). */
    private boolean emptyNamespace(String namespace) {
        boolean empty = true;
        for (ResourceStore rs : registry.resources()) {
            if (!rs.type().namespaced()) continue;
            for (StoredObject o : rs.list(namespace, ListOptions.ALL).items()) {
                String name = Json.text(Json.metadata(o.toNode()), "name");
                try {
                    if (!rs.delete(namespace, name, DeleteOptions.DEFAULT).deleted()) empty = false;
                } catch (StatusException e) {
                    if (e.code() != 404) throw e;
                }
            }
        }
        return empty;
    }

    @Override
    public void close() {
        executor.execute(() -> { if (watch != null) watch.close(); });
        executor.shutdown();
    }
}
