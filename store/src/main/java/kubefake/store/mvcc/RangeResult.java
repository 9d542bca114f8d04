package kubefake.store.mvcc;

import java.util.List;

/**
 * The answer to a range read.
 *
 * @param kvs      live keys in key order, at most the limit asked for
 * @param revision the revision the range was read at (the store's current revision when 0 was asked)
 * @param more     true when keys beyond the last returned one exist in the range
 * @param count    the number of live keys in the whole range at that revision (returned or not)
 */
public record RangeResult(List<KeyValue> kvs, long revision, boolean more, long count) {
}
