package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.CompactedException;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.WatchTrigger;
import kubefake.store.mvcc.Watcher;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A watch on one resource as the API shows it: store events turned into ADDED/MODIFIED/DELETED, filtered by the
 * selectors (an object that stops matching is DELETED for this watcher, one that starts matching is ADDED),
 * preceded by synthetic ADDED events when the watch asked for the current state.
 * Non-blocking: the consumer polls when {@code onReady} tells it events wait.
 */
public final class ResourceWatch implements AutoCloseable {
    private final ResourceStore resources;
    private final Selection selection;
    private Iterator<StoredObject> initial;
    private final Watcher watcher;
    private final long startRevision;
    private boolean initialEndBookmarkPending;
    private WatchEvent pendingError;
    private boolean closed;

    ResourceWatch(ResourceStore resources, KeyValueStore kv, String keyPrefix, long afterRevision,
                  List<StoredObject> initialObjects, Selection selection, Runnable onReady, int bufferLimit,
                  boolean initialEndBookmark) {
        this.resources = resources;
        this.selection = selection;
        this.startRevision = afterRevision;
        List<StoredObject> matching = new ArrayList<>();
        for (StoredObject o : initialObjects) if (selection.isEmpty() || selection.matches(o.tree())) matching.add(o);
        this.initial = matching.iterator();
        this.initialEndBookmarkPending = initialEndBookmark;
        Watcher w = null;
        try {
            // a kubelet's watch of its node's pods is found by the pod's node, not tested against every pod
            WatchTrigger trigger = selection.trigger(resources.type().groupVersion() + "/" + resources.type().resource(),
                    v -> resources.storedFor(v).tree());
            w = kv.watch(keyPrefix, afterRevision, onReady, bufferLimit, trigger);
        } catch (CompactedException e) {
            pendingError = new WatchEvent(WatchEvent.Type.ERROR, null, StatusException.tooOldResourceVersion(afterRevision, e.compactedRevision()));
        }
        this.watcher = w;
        if (!matching.isEmpty() || pendingError != null || initialEndBookmark) onReady.run();
    }

    public ResourceType type() {
        return resources.type();
    }

    /** The revision the watch started after (the list revision of the synthetic ADDED events). */
    public long startRevision() {
        return startRevision;
    }

    /** Up to max events, never blocking; empty when nothing waits. */
    public List<WatchEvent> poll(int max) {
        List<WatchEvent> out = new ArrayList<>();
        if (pendingError != null) {
            out.add(pendingError);
            pendingError = null;
            closed = true;
            return out;
        }
        while (out.size() < max && initial.hasNext()) out.add(new WatchEvent(WatchEvent.Type.ADDED, initial.next(), null));
        if (out.size() < max && !initial.hasNext() && initialEndBookmarkPending) {
            initialEndBookmarkPending = false;
            out.add(new WatchEvent(WatchEvent.Type.BOOKMARK, bookmark(startRevision, true), null));
        }
        if (watcher == null || out.size() >= max) return out;
        for (Event e : watcher.poll(max - out.size())) {
            WatchEvent we = translate(e);
            if (we != null) out.add(we);
        }
        return out;
    }

    private WatchEvent translate(Event e) {
        if (e.type() == Event.Type.DELETE) {
            if (e.prevKv() == null) return null;
            StoredObject prev = resources.storedFor(e.prevKv());
            if (!selection.isEmpty() && !selection.matches(prev.tree())) return null;
            return new WatchEvent(WatchEvent.Type.DELETED, resources.deletedBy(e), null);
        }
        StoredObject now = resources.storedFor(e.kv());
        if (selection.isEmpty()) {
            return new WatchEvent(e.prevKv() == null ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, now, null);
        }
        boolean matchesNow = selection.matches(now.tree());
        boolean matchedBefore = e.prevKv() != null && selection.matches(resources.storedFor(e.prevKv()).tree());
        if (matchesNow) return new WatchEvent(matchedBefore ? WatchEvent.Type.MODIFIED : WatchEvent.Type.ADDED, now, null);
        // like the real watch cache: the object as it last matched, at the event's resourceVersion
        if (matchedBefore) return new WatchEvent(WatchEvent.Type.DELETED, resources.deletedFor(e.prevKv(), e.revision()), null);
        return null;
    }

    /** A BOOKMARK object: only kind, apiVersion and metadata.resourceVersion (and the initial-events-end mark). */
    public StoredObject bookmark(long revision, boolean initialEventsEnd) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode meta = o.putObject("metadata");
        meta.put("resourceVersion", Long.toString(revision));
        if (initialEventsEnd) {
            // 1.33 also hands watch-list clients an empty list of the resource (base64 of its JSON), the shape to
            // rebuild the list in
            ResourceType t = resources.type();
            String blueprint = "{\"kind\":\"" + t.listKind() + "\",\"apiVersion\":\"" + t.groupVersion()
                    + "\",\"metadata\":{},\"items\":[]}";
            meta.putObject("annotations").put("k8s.io/initial-events-end", "true")
                    .put("kubernetes.io/initial-events-list-blueprint",
                            java.util.Base64.getEncoder().encodeToString(blueprint.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return new StoredObject(resources.type(), Json.bytes(o), revision);
    }

    /** A revision this watch has been given every event up to (see {@code Watchable.deliveredRevision}): bookmarks. */
    public long deliveredRevision() {
        return resources.deliveredRevision();
    }

    /** True when the watch ended on the store's side (overflow, store closed, or after an ERROR event). */
    public boolean isClosed() {
        return closed || (watcher != null && watcher.isClosed() && !initial.hasNext());
    }

    @Override
    public void close() {
        closed = true;
        initial = java.util.Collections.emptyIterator(); // the snapshot of a watch from "0" can be large: let it go
        if (watcher != null) watcher.close();
    }
}
