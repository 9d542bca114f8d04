/**
 * The store's contract ({@link kubefake.store.mvcc.KeyValueStore}) on a real etcd v3, through jetcd, for
 * {@code kubefake up --etcd-servers}:
 * <ul>
 *   <li>{@link kubefake.store.etcd.EtcdConnection}: the --etcd-* flags (servers, TLS files, prefix) and the client;</li>
 *   <li>{@link kubefake.store.etcd.EtcdKeyValueStore}: reads, conditional writes as transactions on the mod revision,
 *       compaction, and the revision errors mapped to the store's;</li>
 *   <li>{@code EtcdWatcher}: one etcd watch (with previous values) as a polled, bounded watcher;</li>
 *   <li>{@code EtcdKeys}: kube-apiserver's key layout under the prefix.</li>
 * </ul>
 * The contract tests ({@code store/src/test/.../mvcc}, {@code StoreContractTest}) run against it and the in-memory
 * store alike, on an etcd the tests start (testkit {@code EtcdServer}).
 */
package kubefake.store.etcd;
