package kubefake.store.fieldmanager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A set of field paths, kept as structured-merge-diff keeps it: a trie whose nodes hold the path elements that end
 * there ({@code members}) and the ones that lead further ({@code children}). A path can be both (a list item that is
 * owned itself and whose fields are too: the {@code "."} of FieldsV1). Operations return new sets.
 */
public final class FieldSet {
    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    public FieldSet() {
    }

    public static FieldSet of(List<List<PathElement>> paths) {
        FieldSet s = new FieldSet();
        paths.forEach(s::insert);
        return s;
    }

    /** Adds a path (in place; sets are built with it, then only combined). An empty path is ignored. */
    public FieldSet insert(List<PathElement> path) {
        if (path.isEmpty()) return this;
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) node = node.children.computeIfAbsent(path.get(i), k -> new FieldSet());
        node.members.add(path.get(path.size() - 1));
        return this;
    }

    public boolean has(List<PathElement> path) {
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.get(path.get(i));
            if (node == null) return false;
        }
        return !path.isEmpty() && node.members.contains(path.get(path.size() - 1));
    }

    public boolean isEmpty() {
        if (!members.isEmpty()) return false;
        for (FieldSet c : children.values()) if (!c.isEmpty()) return false;
        return true;
    }

    TreeSet<PathElement> members() {
        return members;
    }

    TreeMap<PathElement, FieldSet> children() {
        return children;
    }

    /** The subtree below one element (an empty set when there is none). */
    FieldSet child(PathElement e) {
        FieldSet c = children.get(e);
        return c == null ? new FieldSet() : c;
    }

    public FieldSet union(FieldSet o) {
        FieldSet r = copy();
        r.addAll(o);
        return r;
    }

    private void addAll(FieldSet o) {
        members.addAll(o.members);
        for (Map.Entry<PathElement, FieldSet> e : o.children.entrySet()) {
            children.computeIfAbsent(e.getKey(), k -> new FieldSet()).addAll(e.getValue());
        }
    }

    /** Whether a path is in both sets (what {@link #intersection} would find, without building it). */
    public boolean intersects(FieldSet o) {
        for (PathElement m : members) if (o.members.contains(m)) return true;
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            FieldSet oc = o.children.get(e.getKey());
            if (oc != null && e.getValue().intersects(oc)) return true;
        }
        return false;
    }

    /** Whether both sets hold the same paths ({@link #equals} without listing them). */
    public boolean sameAs(FieldSet o) {
        if (!members.equals(o.members)) return false;
        int nonEmpty = 0;
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            nonEmpty++;
            FieldSet oc = o.children.get(e.getKey());
            if (oc == null || !e.getValue().sameAs(oc)) return false;
        }
        int otherNonEmpty = 0;
        for (FieldSet c : o.children.values()) if (!c.isEmpty()) otherNonEmpty++;
        return nonEmpty == otherNonEmpty;
    }

    public FieldSet intersection(FieldSet o) {
        FieldSet r = new FieldSet();
        for (PathElement m : members) if (o.members.contains(m)) r.members.add(m);
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            FieldSet oc = o.children.get(e.getKey());
            if (oc == null) continue;
            FieldSet c = e.getValue().intersection(oc);
            if (!c.isEmpty()) r.children.put(e.getKey(), c);
        }
        return r;
    }

    /** The paths of this set that are not in {@code o} (exact paths: a member of {@code o} removes only itself). */
    public FieldSet difference(FieldSet o) {
        FieldSet r = new FieldSet();
        for (PathElement m : members) if (!o.members.contains(m)) r.members.add(m);
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            FieldSet oc = o.children.get(e.getKey());
            FieldSet c = oc == null ? e.getValue().copy() : e.getValue().difference(oc);
            if (!c.isEmpty()) r.children.put(e.getKey(), c);
        }
        return r;
    }

    /**
     * Removes the paths of {@code o} (exact paths, as {@link #difference}) from this set in place, and the nodes left
     * empty: for a set its builder owns and no one else reads yet, without the copy {@link #difference} makes.
     */
    FieldSet removeAll(FieldSet o) {
        members.removeAll(o.members);
        for (Map.Entry<PathElement, FieldSet> e : o.children.entrySet()) {
            FieldSet c = children.get(e.getKey());
            if (c != null && c.removeAll(e.getValue()).isEmpty()) children.remove(e.getKey());
        }
        return this;
    }

    /** The paths of this set that are neither in {@code o} nor below a path of {@code o}. */
    public FieldSet recursiveDifference(FieldSet o) {
        FieldSet r = new FieldSet();
        for (PathElement m : members) if (!o.members.contains(m)) r.members.add(m);
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            if (o.members.contains(e.getKey())) continue;
            FieldSet oc = o.children.get(e.getKey());
            FieldSet c = oc == null ? e.getValue().copy() : e.getValue().recursiveDifference(oc);
            if (!c.isEmpty()) r.children.put(e.getKey(), c);
        }
        return r;
    }

    /** This set without the paths at or below {@code prefix}. */
    public FieldSet without(List<PathElement> prefix) {
        FieldSet p = new FieldSet().insert(prefix);
        return recursiveDifference(p);
    }

    /** Only the paths at or below {@code prefix}. */
    public FieldSet only(List<PathElement> prefix) {
        return difference(without(prefix));
    }

    public FieldSet copy() {
        FieldSet r = new FieldSet();
        r.members.addAll(members);
        children.forEach((k, v) -> r.children.put(k, v.copy()));
        return r;
    }

    /** Every path, members before children at each level (structured-merge-diff's Iterate order). */
    public void forEach(Consumer<List<PathElement>> action) {
        walk(new ArrayList<>(), action);
    }

    private void walk(List<PathElement> prefix, Consumer<List<PathElement>> action) {
        for (PathElement m : members) {
            List<PathElement> p = new ArrayList<>(prefix);
            p.add(m);
            action.accept(List.copyOf(p));
        }
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            prefix.add(e.getKey());
            e.getValue().walk(prefix, action);
            prefix.remove(prefix.size() - 1);
        }
    }

    public List<List<PathElement>> paths() {
        List<List<PathElement>> all = new ArrayList<>();
        forEach(all::add);
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && paths().equals(s.paths());
    }

    @Override
    public int hashCode() {
        return paths().size();
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        forEach(p -> lines.add(PathElement.display(p)));
        return String.join("\n", lines);
    }
}
