package kubefake.server.e2e;

import kubefake.testkit.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl explain} as on a real 1.33 cluster. kubectl 1.27 and 1.28 load /openapi/v2 (protobuf) before every
 * explain and read it for {@code --output plaintext-openapiv2}; their default output reads v3. Both documents are
 * the real server's, so what kubectl prints is what it prints there.
 */
class ExplainE2ETest {
    /** kubectl 1.33 adds a blank line under FIELD and an "enum:" line under enumerated fields; the rest is the same. */
    private static String withoutNewerAdditions(String out) {
        return out.replaceAll("(?m)^ *enum: .*\\n", "").replaceAll("(?m)^(FIELD: .*\\n)\\n", "$1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.28"})
    void explainPrintsWhat133PrintsFromTheSameDocuments(String v) {
        Kubectl old = TestCluster.kubectl(v);
        Kubectl current = TestCluster.kubectl("1.33");
        for (List<String> args : List.of(List.of("explain", "pods"), List.of("explain", "deployment.spec.strategy"),
                List.of("explain", "jobs", "--recursive"))) {
            String printed = ok(old.run(args.toArray(String[]::new))).out();
            assertEquals(withoutNewerAdditions(ok(current.run(args.toArray(String[]::new))).out()), printed, args::toString);
        }
        String recorded = Reference.kubectlOut(v.equals("1.28") ? "1.27" : v, "explain-deploy-strategy-rec");
        assertEquals(recorded, ok(old.run("explain", "deployment.spec.strategy", "--recursive")).out());
        assertEquals(Reference.kubectlOut("1.33", "explain-deploy-strategy-rec"),
                ok(current.run("explain", "deployment.spec.strategy", "--recursive")).out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.28", "1.33"})
    void explainFromOpenApiV2(String v) {
        Kubectl k = TestCluster.kubectl(v);
        assertEquals("""
                KIND:     Deployment
                VERSION:  apps/v1

                RESOURCE: strategy <Object>

                DESCRIPTION:
                     The deployment strategy to use to replace existing pods with new ones.

                     DeploymentStrategy describes how to replace existing pods with new ones.

                FIELDS:
                   rollingUpdate\t<Object>
                      maxSurge\t<string>
                      maxUnavailable\t<string>
                   type\t<string>
                """, ok(k.run("explain", "deployment.spec.strategy", "--recursive", "--output", "plaintext-openapiv2")).out());
        String pods = ok(k.run("explain", "pods", "--output", "plaintext-openapiv2")).out();
        assertTrue(pods.startsWith("""
                KIND:     Pod
                VERSION:  v1

                DESCRIPTION:
                     Pod is a collection of containers that can run on a host. This resource is
                     created by clients and scheduled onto hosts.

                FIELDS:
                   apiVersion\t<string>
                """), pods);
        String jobs = ok(k.run("explain", "jobs", "--recursive", "--output", "plaintext-openapiv2")).out();
        assertTrue(jobs.startsWith("KIND:     Job\nVERSION:  batch/v1\n"), jobs);
        assertTrue(jobs.contains("\n      backoffLimitPerIndex\t<integer>\n"), jobs);
    }

    /** Every resource discovery lists has its schema in both documents. */
    @Test
    void everyServedResourceExplainsFromV2AndV3() {
        Kubectl k = TestCluster.kubectl("1.27");
        List<String> failures = new ArrayList<>();
        for (String resource : ok(k.run("api-resources", "--no-headers", "-o", "name")).out().split("\n")) {
            // the custom resources other tests of the shared cluster define come and go meanwhile
            if (resource.endsWith(".example.com")) continue;
            // kubectl 1.27 reads events.events.k8s.io as core "events" and a field path, whatever the server: name
            // the group-version with --api-version instead
            List<String> args = new ArrayList<>(List.of("explain", resource));
            if (resource.equals("events.events.k8s.io")) args = new ArrayList<>(List.of("explain", "events", "--api-version=events.k8s.io/v1"));
            // and nodes.metrics.k8s.io as core nodes and the field path metrics.k8s.io (with --api-version, as the kind
            // Node in that group for v2): name the metrics kinds instead
            if (resource.endsWith(".metrics.k8s.io")) {
                args = new ArrayList<>(List.of("explain", resource.substring(0, resource.indexOf('.') - 1) + "metrics"));
            }
            Kubectl.Result v3 = k.run(args.toArray(String[]::new));
            if (v3.exitCode() != 0) failures.add("v3 " + args + ": " + v3.err());
            args.addAll(List.of("--output", "plaintext-openapiv2"));
            Kubectl.Result v2 = k.run(args.toArray(String[]::new));
            if (v2.exitCode() != 0) failures.add("v2 " + args + ": " + v2.err());
        }
        assertEquals(List.of(), failures);
    }
}
