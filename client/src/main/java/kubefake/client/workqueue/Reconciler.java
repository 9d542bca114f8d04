package kubefake.client.workqueue;

/**
 * A controller's sync: bring the world in line with the key's object, reading the informers' caches and writing
 * through the client. Throwing retries the key with back-off.
 */
@FunctionalInterface
public interface Reconciler<K> {
    Result reconcile(K key) throws Exception;
}
