/**
 * The revisioned key-value store underneath the registry: etcd's MVCC model, in process.
 *
 * <p>The contract is the interfaces ({@link kubefake.store.mvcc.KeyValueStore} = {@link kubefake.store.mvcc.ReadView}
 * + {@link kubefake.store.mvcc.WriteView} + {@link kubefake.store.mvcc.Watchable} + compaction), with two
 * implementations: this package's in-memory store (the default, made durable by {@code store.durability}) and
 * {@code store.etcd}'s on a real etcd; the contract tests run against both. The in-memory implementation, one concern
 * per class:
 * <ul>
 *   <li>{@link kubefake.store.mvcc.MemoryKeyValueStore}: the write lock, the global revision, conditional writes,
 *       lock-free reads at a revision, watch registration, compaction and close;</li>
 *   <li>{@code KeyHistory}: one key's values and tombstones, newest first (etcd's key_index);</li>
 *   <li>{@code KeyIndex}: all histories in key order, range reads with count and limit, key-by-key compaction;</li>
 *   <li>{@code EventLog}: the event of every retained revision, for replay to new watchers;</li>
 *   <li>{@code HistoryPacker} and {@code ValueDeltas}: superseded values kept deflated against their successors;</li>
 *   <li>{@code WatcherGroup}: open watchers indexed by prefix directory (etcd's watcher_group);</li>
 *   <li>{@code StoreWatcher}: one watch, a replay cursor over the log then a bounded live buffer;</li>
 *   <li>{@link kubefake.store.mvcc.Compactor}: kube-apiserver's periodic compaction policy.</li>
 * </ul>
 */
package kubefake.store.mvcc;
