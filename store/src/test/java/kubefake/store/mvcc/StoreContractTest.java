package kubefake.store.mvcc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The base of the store's contract tests: each test runs once per {@link Backend} on a fresh store, and counts
 * revisions from the store's revision at its start ({@link #rev}: 0 in memory, etcd's revision so far on etcd).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
abstract class StoreContractTest {
    @Parameter
    Backend backend;
    KeyValueStore store;
    private long base;

    @BeforeEach
    void openStore() {
        store = backend.open();
        base = store.currentRevision();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** The revision of the test's n-th write. */
    long rev(long n) {
        return base + n;
    }
}
