package kubefake.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against a kubefake cluster started in the test's JVM: fields and parameters of type
 * {@link Cluster}, fabric8's {@code KubernetesClient} and the official client's {@code ApiClient}, and {@code Path}s
 * annotated {@link KubeconfigFile}, are given the cluster's. {@link KubefakeExtension#builder()} does the same with
 * {@code @RegisterExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KubefakeExtension.class)
public @interface KubefakeTest {
    /** Which tests share a cluster (default: the class's). */
    ClusterScope scope() default ClusterScope.CLASS;

    /** The lab with this many workers w1-k8s.. beside the control plane m-k8s. */
    int workers() default 3;

    /** How fast pods move: {@code fast} (milliseconds), {@code lab} (a real cluster's pace) or a profile file. */
    String profile() default "fast";

    /**
     * Whether what a test created is deleted after it (and the kubelets it stopped are started again), so the next
     * test of a shared cluster starts from the same objects. Not needed with {@link ClusterScope#TEST}.
     */
    boolean resetAfterEachTest() default true;
}
