package kubefake.server.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code kubectl auth can-i}: SelfSubjectAccessReviews answered by the authorizer that decides the requests. */
class AccessReviewE2ETest {

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theAdministratorMayDoEverything(String v) {
        Kubectl k = TestCluster.kubectl(v);
        for (List<String> question : List.of(List.of("list", "pods"), List.of("delete", "nodes"),
                List.of("create", "deployments.apps", "-n", "kube-system"), List.of("get", "/healthz"))) {
            String[] args = new String[question.size() + 2];
            args[0] = "auth";
            args[1] = "can-i";
            for (int i = 0; i < question.size(); i++) args[i + 2] = question.get(i);
            Kubectl.Result r = k.run(args);
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("yes\n", r.out(), question.toString());
        }
    }
}
