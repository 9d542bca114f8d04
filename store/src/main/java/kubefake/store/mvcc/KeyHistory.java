package kubefake.store.mvcc;

/**
 * The revisions of one key, newest first (etcd's {@code keyIndex}): a chain of immutable {@link KeyValue}s, a
 * tombstone (null value) where the key was deleted.
 *
 * <p>Only the store's writer appends and compacts (under the write lock); readers walk the chain without locking.
 * The head and the links are volatile so a reader sees a fully built node, and so that a reader which walked into
 * a part compaction cut off also sees the new compacted revision when it re-checks it afterwards.
 */
final class KeyHistory {
    private static final class Node {
        final KeyValue kv;
        volatile Node older;

        Node(KeyValue kv, Node older) {
            this.kv = kv;
            this.older = older;
        }
    }

    private volatile Node head;

    KeyHistory(KeyValue first) {
        head = new Node(first, null);
    }

    static boolean isTombstone(KeyValue kv) {
        return kv.isTombstone();
    }

    /** A tombstone for {@code key} deleted at {@code revision}: what a DELETE event carries. */
    static KeyValue tombstone(String key, long revision) {
        return new KeyValue(key, null, 0, revision, 0);
    }

    /** The newest entry, tombstone included. */
    KeyValue newest() {
        return head.kv;
    }

    /** The live value at {@code revision}, or null when the key was absent or deleted then. */
    KeyValue at(long revision) {
        Node n = head;
        while (n != null && n.kv.modRevision() > revision) {
            n = n.older;
        }
        return n == null || isTombstone(n.kv) ? null : n.kv;
    }

    /** Writer only: records a newer revision (a value or a tombstone). */
    void append(KeyValue kv) {
        head = new Node(kv, head);
    }

    /**
     * Writer only: forgets what no read after {@code revision} can see: everything older than the newest entry at
     * or below it, and that entry too when it is a tombstone.
     *
     * @return true when nothing is left (the key's last word at or below {@code revision} was its deletion and
     *         nothing came after), so the key can leave the index
     */
    boolean compact(long revision) {
        Node newer = null;
        Node n = head;
        while (n != null && n.kv.modRevision() > revision) {
            newer = n;
            n = n.older;
        }
        if (n == null) {
            return false;
        }
        if (isTombstone(n.kv)) {
            if (newer == null) {
                return true;
            }
            newer.older = null;
        } else if (n.older != null) {
            n.older = null;
        }
        return false;
    }

    /** How many entries the chain holds (for tests of compaction). */
    int size() {
        int size = 0;
        for (Node n = head; n != null; n = n.older) {
            size++;
        }
        return size;
    }
}
