package kubefake.store.mvcc;

import java.util.Objects;
import java.util.function.Function;

/**
 * Narrows a watch to the events whose value, after or before the write, has {@code value} as its {@code name}
 * attribute (a pod's {@code spec.nodeName}, say: kube-apiserver's cacher calls these "triggers"). The store then
 * finds a write's watchers by the attribute's values of that write, once per write, instead of handing the write to
 * every watcher of the prefix: a kubelet's watch of its node's pods costs nothing for the pods of the other nodes.
 *
 * <p>A hint, not a filter the watch can rely on: a store may deliver more (the etcd backend delivers every event of
 * the prefix), so the watch still tests what it receives.
 *
 * @param name    the attribute; every watcher of one prefix that uses a name must use the same {@code valueOf}
 * @param value   the value this watcher wants
 * @param valueOf the attribute's value in a stored value (never called for a deletion's tombstone); null when it
 *                has none. Called under the store's write lock, once per write and attribute: keep it cheap
 */
public record WatchTrigger(String name, String value, Function<KeyValue, String> valueOf) {
    public WatchTrigger {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(valueOf, "valueOf");
    }
}
