package kubefake.store.bench;

import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.authorization.AuthenticatedUsers;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.rbac.BootstrapPolicy;
import kubefake.store.registry.rbac.RbacAuthorizer;
import kubefake.store.registry.rbac.RbacPolicy;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one authorization costs with the bootstrap policy (`BENCH=AuthorizerBenchmark store/bench/run-jmh.sh`):
 * admin.conf's user (kubeadm:cluster-admins, allowed by a ClusterRoleBinding), a user allowed by a RoleBinding to
 * the aggregated `view` role, a refused one, system:masters, and the authorizer before RBAC for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthorizerBenchmark {
    private RbacPolicy policy;
    private RbacAuthorizer rbac;
    private final AuthenticatedUsers everyone = new AuthenticatedUsers();
    private AuthorizationAttributes admin;
    private AuthorizationAttributes viewer;
    private AuthorizationAttributes refused;
    private AuthorizationAttributes master;

    @Setup
    public void setUp() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        for (String ns : List.of("default", "kube-system", "kube-public")) {
            registry.resource("", "namespaces").create("", Json.parseObject(("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                    + "\"metadata\":{\"name\":\"" + ns + "\"}}").getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
        }
        BootstrapPolicy.ensure(registry);
        registry.resource(RbacPolicy.GROUP, "rolebindings").create("default", Json.parseObject(("{\"apiVersion\":"
                + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"alice\"},\"roleRef\":{\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"system:aggregate-to-view\"},\"subjects\":[{\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"alice\"}]}").getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
        policy = new RbacPolicy(registry);
        rbac = new RbacAuthorizer(policy);
        UserInfo kubeadmAdmin = new UserInfo("kubernetes-admin", "", List.of("kubeadm:cluster-admins", UserInfo.AUTHENTICATED));
        UserInfo alice = new UserInfo("alice", "", List.of(UserInfo.AUTHENTICATED));
        UserInfo root = new UserInfo("root", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED));
        admin = AuthorizationAttributes.resource(kubeadmAdmin, "get", "", "pods", "", "default", "p");
        viewer = AuthorizationAttributes.resource(alice, "get", "", "pods", "", "default", "p");
        refused = AuthorizationAttributes.resource(alice, "create", "", "pods", "", "default", "");
        master = AuthorizationAttributes.resource(root, "get", "", "pods", "", "default", "p");
    }

    @TearDown
    public void tearDown() {
        policy.close();
    }

    @Benchmark
    public Decision rbacClusterAdminsGroup() {
        return rbac.authorize(admin);
    }

    @Benchmark
    public Decision rbacViewerRoleBinding() {
        return rbac.authorize(viewer);
    }

    @Benchmark
    public Decision rbacRefused() {
        return rbac.authorize(refused);
    }

    @Benchmark
    public Decision rbacSystemMasters() {
        return rbac.authorize(master);
    }

    @Benchmark
    public Decision beforeRbacEveryoneAllowed() {
        return everyone.authorize(admin);
    }
}
