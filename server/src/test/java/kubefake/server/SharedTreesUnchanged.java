package kubefake.server;

import kubefake.store.registry.FrozenTree;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which something tried to change a revision's shared tree ({@link FrozenTree}), wherever it
 * happened: in a cluster's controller, kubelet or handler thread the change threw too, but only a logged "background
 * task failed" would show it. Registered for every test of the module (META-INF/services, with extension
 * auto-detection on in junit-platform.properties).
 */
public final class SharedTreesUnchanged implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedTreesUnchanged.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", FrozenTree.changesTried());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Long before = context.getStore(NS).get("before", Long.class);
        long tried = FrozenTree.changesTried() - (before == null ? 0 : before);
        if (tried > 0) {
            throw new AssertionError(tried + " change(s) of a shared tree tried during this test (the cluster's threads"
                    + " run on between tests: it may have begun earlier); the last:", FrozenTree.lastChangeTried());
        }
    }
}
