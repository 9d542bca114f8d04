package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API server's own configuration objects with the real kubectl: apiregistration.k8s.io/v1 APIServices (one Local
 * per served built-in group-version as the recorded cluster lists them, and metrics-server's, served through its
 * Service) and flowcontrol.apiserver.k8s.io/v1's bootstrap FlowSchemas and PriorityLevelConfigurations, listed as the
 * recorded cluster lists them, the mandatory ones put back when deleted; and the deprecated componentstatuses.
 */
class ControlPlaneApisE2ETest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.realClock();

    private static void assertHas(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), () -> "no /" + regex + "/ in:\n" + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void eachServedGroupVersionHasItsApiService(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        String table = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("v1beta1.metrics.k8s.io"), "get", "apiservices").out();
        assertHas("^NAME\\s+SERVICE\\s+AVAILABLE\\s+AGE$", table);
        assertHas("^v1\\.\\s+Local\\s+True\\s+\\S+$", table);
        assertHas("^v1\\.apps\\s+Local\\s+True\\s+\\S+$", table);
        assertHas("^v1\\.scheduling\\.k8s\\.io\\s+Local\\s+True\\s+\\S+$", table);
        assertHas("^v1beta1\\.metrics\\.k8s\\.io\\s+kube-system/metrics-server\\s+True\\s+\\S+$", table);

        // every Local one is one a real 1.33 cluster registers
        Set<String> real = new HashSet<>();
        for (JsonNode row : Reference.http("table-apis_apiregistration.k8s.io_v1-apiservices").path("rows")) {
            real.add(row.path("cells").path(0).asText());
        }
        for (String line : Kubectl.lines(Kubectl.ok(k.run("get", "apiservices", "--no-headers")))) {
            String name = line.split("\\s+")[0];
            assertTrue(real.contains(name) || name.equals("v1beta1.metrics.k8s.io"), name);
        }
        assertEquals("17800 15 onstart Local Local APIServices are always available", Kubectl.ok(k.run("get", "apiservice", "v1.apps",
                "-o", "jsonpath={.spec.groupPriorityMinimum} {.spec.versionPriority} "
                        + "{.metadata.labels.kube-aggregator\\.kubernetes\\.io/automanaged} "
                        + "{.status.conditions[0].reason} {.status.conditions[0].message}")).out());
        List<String> described = Kubectl.lines(Kubectl.ok(k.run("get", "apiservice", "v1beta1.metrics.k8s.io", "-o",
                "jsonpath={.spec.service.namespace}/{.spec.service.name}:{.spec.service.port}")));
        assertEquals(List.of("kube-system/metrics-server:443"), described);
    }

    /** A recorded Table's rows as kubectl prints them without headers, less the AGE column (at {@code ageColumn}). */
    private static List<String> recordedRows(String table, int ageColumn) {
        List<String> rows = new java.util.ArrayList<>();
        for (JsonNode row : Reference.http(table).path("rows")) {
            List<String> cells = new java.util.ArrayList<>();
            for (JsonNode c : row.path("cells")) cells.add(c.asText());
            cells.remove(ageColumn);
            rows.add(String.join(" ", cells));
        }
        return rows;
    }

    private static List<String> withoutAge(Kubectl.Result r, int ageColumn) {
        List<String> rows = new java.util.ArrayList<>();
        for (String line : Kubectl.lines(r)) {
            List<String> cells = new java.util.ArrayList<>(List.of(line.trim().split("\\s+")));
            cells.remove(ageColumn);
            rows.add(String.join(" ", cells));
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void flowControlsBootstrapConfigurationIsTheRealOne(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("catch-all"), "get", "flowschemas");
        assertEquals(recordedRows("table-apis_flowcontrol.apiserver.k8s.io_v1-flowschemas", 4),
                withoutAge(Kubectl.ok(k.run("get", "flowschemas", "--no-headers")), 4));
        assertHas("^NAME\\s+PRIORITYLEVEL\\s+MATCHINGPRECEDENCE\\s+DISTINGUISHERMETHOD\\s+AGE\\s+MISSINGPL$",
                Kubectl.ok(k.run("get", "flowschemas")).out());
        assertEquals(recordedRows("table-apis_flowcontrol.apiserver.k8s.io_v1-prioritylevelconfigurations", 6),
                withoutAge(Kubectl.ok(k.run("get", "prioritylevelconfigurations", "--no-headers")), 6));

        // a mandatory object comes back, as the API server's configuration controller puts it back
        Kubectl.ok(k.run("delete", "flowschema", "catch-all"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("catch-all"), "get", "flowschemas", "--no-headers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void componentStatusesAreHealthyWithTheDeprecationWarning(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        Kubectl.Result cs = Kubectl.ok(k.run("get", "cs"));
        // the last column is empty: compared without the row's trailing padding
        assertEquals(List.of("NAME                 STATUS    MESSAGE   ERROR", "controller-manager   Healthy   ok",
                "scheduler            Healthy   ok", "etcd-0               Healthy   ok"),
                Kubectl.lines(cs).stream().map(String::stripTrailing).toList());
        assertEquals("Warning: v1 ComponentStatus is deprecated in v1.19+\n", cs.err());
        assertEquals("Healthy True ok", Kubectl.ok(k.run("get", "componentstatus", "etcd-0", "-o",
                "jsonpath={.conditions[0].type} {.conditions[0].status} {.conditions[0].message}")).out());
        Kubectl.Result missing = k.run("get", "cs", "nope");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().endsWith("Error from server (NotFound): componentstatuses \"nope\" not found\n"), missing.err());
    }

    /**
     * APIServices and VolumeAttachments, as custom resources, refuse a PUT that names no resourceVersion (their real
     * strategies' AllowUnconditionalUpdate is false): a raw PUT of a file is refused, kubectl replace (which reads
     * the version first) works.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void apiServicesAndVolumeAttachmentsRefuseUnconditionalUpdates(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        String suffix = v.replace(".", "");
        String apiService = "v1alpha1.uncond" + suffix + ".example.com";
        Path apiServiceFile = dir.resolve("apiservice-" + suffix + ".json");
        Files.writeString(apiServiceFile, "{\"apiVersion\":\"apiregistration.k8s.io/v1\",\"kind\":\"APIService\","
                + "\"metadata\":{\"name\":\"" + apiService + "\"},\"spec\":{\"group\":\"uncond" + suffix + ".example.com\","
                + "\"version\":\"v1alpha1\",\"groupPriorityMinimum\":100,\"versionPriority\":10}}");
        String volumeAttachment = "uncond-" + suffix;
        Path volumeAttachmentFile = dir.resolve("va-" + suffix + ".json");
        Files.writeString(volumeAttachmentFile, "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"VolumeAttachment\","
                + "\"metadata\":{\"name\":\"" + volumeAttachment + "\"},\"spec\":{\"attacher\":\"csi.example.com\","
                + "\"nodeName\":\"w1-k8s\",\"source\":{\"persistentVolumeName\":\"pv-" + suffix + "\"}}}");
        Kubectl.ok(k.run("create", "-f", apiServiceFile.toString()));
        Kubectl.ok(k.run("create", "-f", volumeAttachmentFile.toString()));

        Kubectl.Result raw = k.run("replace", "--raw", "/apis/apiregistration.k8s.io/v1/apiservices/" + apiService,
                "-f", apiServiceFile.toString());
        assertEquals(1, raw.exitCode(), raw::toString);
        assertEquals("The apiservices \"" + apiService + "\" is invalid: metadata.resourceVersion: Invalid value: 0x0: "
                + "must be specified for an update\n", raw.err());
        raw = k.run("replace", "--raw", "/apis/storage.k8s.io/v1/volumeattachments/" + volumeAttachment,
                "-f", volumeAttachmentFile.toString());
        assertEquals(1, raw.exitCode(), raw::toString);
        assertEquals("The volumeattachments \"" + volumeAttachment + "\" is invalid: metadata.resourceVersion: Invalid "
                + "value: 0x0: must be specified for an update\n", raw.err());

        assertEquals("apiservice.apiregistration.k8s.io/" + apiService + " replaced\n",
                Kubectl.ok(k.run("replace", "-f", apiServiceFile.toString())).out());
        assertEquals("volumeattachment.storage.k8s.io/" + volumeAttachment + " replaced\n",
                Kubectl.ok(k.run("replace", "-f", volumeAttachmentFile.toString())).out());
        Kubectl.ok(k.run("delete", "-f", apiServiceFile.toString()));
        Kubectl.ok(k.run("delete", "-f", volumeAttachmentFile.toString()));
    }
}
