package kubefake.store.mvcc;

/**
 * The keys live at one revision, as a persistent counted tree (a treap whose nodes know their subtree's size): how
 * many live keys a range holds is two descents, not a walk of the range, so a page of a long list costs the same
 * wherever it starts. Immutable: a create or a delete builds a new tree sharing all but one path with the old one,
 * so readers use whichever tree they read without locks while the writer goes on.
 *
 * <p>A tree stays exact from {@link #revision()} until the next create or delete (updates do not change which keys
 * are live).
 */
final class LiveKeys {
    static final LiveKeys EMPTY = new LiveKeys(null, 0);

    private static final class Node {
        final String key;
        final int priority;
        final Node left;
        final Node right;
        final int size;

        Node(String key, int priority, Node left, Node right) {
            this.key = key;
            this.priority = priority;
            this.left = left;
            this.right = right;
            this.size = 1 + size(left) + size(right);
        }

        Node withLeft(Node newLeft) {
            return new Node(key, priority, newLeft, right);
        }

        Node withRight(Node newRight) {
            return new Node(key, priority, left, newRight);
        }
    }

    private final Node root;
    private final long revision;

    private LiveKeys(Node root, long revision) {
        this.root = root;
        this.revision = revision;
    }

    /** The revision of the last create or delete this tree holds. */
    long revision() {
        return revision;
    }

    int size() {
        return size(root);
    }

    /** This tree with {@code key} live from {@code revision} on (the same tree when it already is). */
    LiveKeys with(String key, long revision) {
        return new LiveKeys(insert(root, key, priority(key)), revision);
    }

    /** This tree with {@code key} deleted at {@code revision}. */
    LiveKeys without(String key, long revision) {
        return new LiveKeys(remove(root, key), revision);
    }

    /** How many live keys lie in [fromKey, endKey); a null endKey means no upper bound. */
    long count(String fromKey, String endKey) {
        long below = endKey == null ? size(root) : before(endKey);
        return Math.max(0, below - before(fromKey));
    }

    /** How many keys sort before {@code key}. */
    private long before(String key) {
        long n = 0;
        for (Node node = root; node != null; ) {
            if (node.key.compareTo(key) < 0) {
                n += size(node.left) + 1;
                node = node.right;
            } else {
                node = node.left;
            }
        }
        return n;
    }

    private static int size(Node node) {
        return node == null ? 0 : node.size;
    }

    /** A well-mixed hash of the key: a treap's priorities must look random for it to stay shallow. */
    private static int priority(String key) {
        int h = key.hashCode() * 0x9E3779B1;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }

    private static Node insert(Node node, String key, int priority) {
        if (node == null) {
            return new Node(key, priority, null, null);
        }
        int c = key.compareTo(node.key);
        if (c == 0) {
            return node;
        }
        if (c < 0) {
            Node left = insert(node.left, key, priority);
            if (left == node.left) return node;
            return left.priority > node.priority ? left.withRight(node.withLeft(left.right)) : node.withLeft(left);
        }
        Node right = insert(node.right, key, priority);
        if (right == node.right) return node;
        return right.priority > node.priority ? right.withLeft(node.withRight(right.left)) : node.withRight(right);
    }

    private static Node remove(Node node, String key) {
        if (node == null) {
            return null;
        }
        int c = key.compareTo(node.key);
        if (c == 0) {
            return merge(node.left, node.right);
        }
        if (c < 0) {
            Node left = remove(node.left, key);
            return left == node.left ? node : node.withLeft(left);
        }
        Node right = remove(node.right, key);
        return right == node.right ? node : node.withRight(right);
    }

    /** Joins two trees whose keys are all smaller in {@code low} than in {@code high}. */
    private static Node merge(Node low, Node high) {
        if (low == null) return high;
        if (high == null) return low;
        return low.priority > high.priority
                ? low.withRight(merge(low.right, high))
                : high.withLeft(merge(low, high.left));
    }
}
