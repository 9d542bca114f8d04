/**
 * The store's durability under a data directory: what makes {@link kubefake.store.mvcc.MemoryKeyValueStore}
 * survive a restart or a crash.
 *
 * <pre>
 * DATA_DIR/store/wal/REVISION.wal    the write-ahead log, in segments named by their first revision (16 hex digits)
 * DATA_DIR/store/snap/REVISION.snap  the state at the last compaction (every live key at that revision)
 * </pre>
 * <ul>
 *   <li>{@link kubefake.store.durability.DurableStore}: opens a data directory (recovery), owns the store and its log;</li>
 *   <li>{@link kubefake.store.durability.WriteAheadLog}: the commit log, one record per revision, group commit
 *       (one fsync for every write queued meanwhile), segments, truncation after a snapshot;</li>
 *   <li>{@code LogRecords}: a record's bytes (length, CRC32C, revision, key, value);</li>
 *   <li>{@code LogScanner}: reads the log back, tells a torn tail (truncated) from corruption (refused);</li>
 *   <li>{@link kubefake.store.durability.SnapshotFile}: the snapshot format, shared by the periodic snapshots and
 *       {@code kubefake snapshot save|restore|status}.</li>
 * </ul>
 */
package kubefake.store.durability;
