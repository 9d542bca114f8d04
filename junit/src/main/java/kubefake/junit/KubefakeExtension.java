package kubefake.junit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts kubefake clusters for tests and gives them to fields and parameters: {@link Cluster}, fabric8's
 * {@code KubernetesClient}, the official client's {@code ApiClient} (by type), and {@code Path}s annotated
 * {@link KubeconfigFile}. Used through {@link KubefakeTest} or {@code @RegisterExtension static KubefakeExtension k8s =
 * KubefakeExtension.builder()...build();} (an instance field works too: its cluster starts with the first test).
 */
public final class KubefakeExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KubefakeExtension.class);
    private static final String CLUSTER = "cluster";
    private static final String MARK = "mark";

    /** What kind of cluster, for how long, and whether tests are undone. */
    record Settings(ClusterScope scope, int workers, String profile, boolean reset) {
        static Settings of(KubefakeTest a) {
            return new Settings(a.scope(), a.workers(), a.profile(), a.resetAfterEachTest());
        }
    }

    /** The settings of a registered extension; null when the annotation declared it (its settings are the annotation's). */
    private final Settings registered;

    /** The extension {@link KubefakeTest} declares; its settings come from the annotation. */
    public KubefakeExtension() {
        this(null);
    }

    private KubefakeExtension(Settings registered) {
        this.registered = registered;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings {@link KubefakeTest} has by default, changed one by one. */
    public static final class Builder {
        private ClusterScope scope = ClusterScope.CLASS;
        private int workers = 3;
        private String profile = "fast";
        private boolean reset = true;

        public Builder scope(ClusterScope s) {
            scope = s;
            return this;
        }

        public Builder workers(int n) {
            workers = n;
            return this;
        }

        public Builder profile(String nameOrFile) {
            profile = nameOrFile;
            return this;
        }

        public Builder resetAfterEachTest(boolean r) {
            reset = r;
            return this;
        }

        public KubefakeExtension build() {
            return new KubefakeExtension(new Settings(scope, workers, profile, reset));
        }
    }

    private Settings settings(ExtensionContext context) {
        if (registered != null) return registered;
        for (Optional<Class<?>> c = context.getTestClass(); c.isPresent(); c = Optional.ofNullable(c.get().getEnclosingClass())) {
            Optional<KubefakeTest> a = AnnotationSupport.findAnnotation(c.get(), KubefakeTest.class);
            if (a.isPresent()) return Settings.of(a.get());
        }
        throw new ExtensionConfigurationException("KubefakeExtension without @KubefakeTest: register it with KubefakeExtension.builder()");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (settings(context).scope() == ClusterScope.TEST) return;
        injectFields(context, null, cluster(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Settings s = settings(context);
        Cluster cluster = cluster(context);
        injectFields(context, context.getRequiredTestInstance(), cluster);
        if (s.scope() != ClusterScope.TEST && s.reset()) context.getStore(NAMESPACE).put(MARK, cluster.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Cluster.Mark mark = context.getStore(NAMESPACE).remove(MARK, Cluster.Mark.class);
        if (mark != null) cluster(context).reset(mark);
    }

    /**
     * The cluster of this context, started on first use and closed with the store it is kept in: the test's
     * (per test), the outermost test class's (per class, so @Nested classes share it) or the run's (per JVM).
     */
    Cluster cluster(ExtensionContext context) {
        Settings s = settings(context);
        ExtensionContext.Store store;
        Object key = CLUSTER;
        switch (s.scope()) {
            case TEST -> {
                if (context.getTestMethod().isEmpty()) {
                    throw new ParameterResolutionException("a per-test cluster (ClusterScope.TEST) exists only during a test:"
                            + " ask for it in the test, its @BeforeEach or @AfterEach methods, or an instance field");
                }
                store = context.getStore(NAMESPACE);
            }
            case CLASS -> store = classContext(context).getStore(NAMESPACE);
            default -> {
                store = context.getRoot().getStore(NAMESPACE);
                key = s; // one per shape
            }
        }
        return store.getOrComputeIfAbsent(key, k -> Cluster.start(s.workers(), s.profile()), Cluster.class);
    }

    /** The outermost class context above this one (a test method's or a @Nested class's). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getParent().isPresent() && c.getParent().get().getTestClass().isPresent()) c = c.getParent().get();
        return c;
    }

    /** Static fields when instance is null, else the instance's fields (and, per test, the static ones too). */
    private void injectFields(ExtensionContext context, Object instance, Cluster cluster) {
        Class<?> testClass = instance != null ? instance.getClass() : context.getRequiredTestClass();
        boolean statics = instance == null || settings(context).scope() == ClusterScope.TEST;
        for (Field f : ReflectionSupport.findFields(testClass, f -> injectable(f.getType(), f.isAnnotationPresent(KubeconfigFile.class))
                && !Modifier.isFinal(f.getModifiers()), HierarchyTraversalMode.TOP_DOWN)) {
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            if (isStatic ? !statics : instance == null) continue;
            try {
                f.setAccessible(true);
                f.set(isStatic ? null : instance, valueFor(f.getType(), cluster));
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot set " + f, e);
            }
        }
    }

    private static boolean injectable(Class<?> type, boolean kubeconfigAnnotated) {
        return type == Cluster.class || Clients.isClient(type) || (type == Path.class && kubeconfigAnnotated);
    }

    private static Object valueFor(Class<?> type, Cluster cluster) {
        if (type == Cluster.class) return cluster;
        if (type == Path.class) return cluster.kubeconfig();
        return cluster.client(type);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return injectable(parameter.getParameter().getType(), parameter.isAnnotated(KubeconfigFile.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return valueFor(parameter.getParameter().getType(), cluster(context));
    }
}
