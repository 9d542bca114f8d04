package kubefake.junit;

/** How long a cluster the extension starts lives, and so which tests share it. */
public enum ClusterScope {
    /**
     * One cluster for the test class (and its {@code @Nested} classes), reset after each test to what it held before
     * it. Test classes running in parallel each have their own.
     */
    CLASS,
    /**
     * One cluster for every class of the JVM that asks for the same shape (workers, profile), reset after each test;
     * classes sharing it must not run in parallel (a reset removes what the other class's test made).
     */
    JVM,
    /** A new cluster for each test: the full isolation, at the price of a start per test. */
    TEST
}
