package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CRD with a structural schema, printer columns, status and scale subresources and two versions, driven by kubectl
 * 1.29 and 1.33 as issue 17 asks: apply of the CRD and of a CR, an invalid CR refused with the real 422 causes, the
 * schema's defaults, unknown fields refused under Strict and warned of under Warn, {@code get} with the printer
 * columns ({@code -o wide} adds the priority-1 one), {@code scale}, {@code explain}, {@code get all} through the
 * {@code all} category, the other version's apiVersion, and deleting the CRD taking its CRs and its discovery entries
 * along.
 */
class CustomResourceE2ETest {

    private static String crd(String group) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: crontabs.%1$s
                spec:
                  group: %1$s
                  scope: Namespaced
                  names:
                    plural: crontabs
                    singular: crontab
                    kind: CronTab
                    shortNames: [ct]
                    categories: [all]
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources:
                      status: {}
                      scale:
                        specReplicasPath: .spec.replicas
                        statusReplicasPath: .status.replicas
                    additionalPrinterColumns:
                    - name: Spec
                      type: string
                      jsonPath: .spec.cronSpec
                    - name: Replicas
                      type: integer
                      jsonPath: .spec.replicas
                    - name: Image
                      type: string
                      priority: 1
                      jsonPath: .spec.image
                    - name: Age
                      type: date
                      jsonPath: .metadata.creationTimestamp
                    schema:
                      openAPIV3Schema:
                        type: object
                        description: A CronTab runs an image on a schedule.
                        properties:
                          spec:
                            type: object
                            description: What to run and when.
                            required: [cronSpec]
                            properties:
                              cronSpec:
                                type: string
                              image:
                                type: string
                                default: busybox
                              replicas:
                                type: integer
                                minimum: 1
                                default: 1
                              color:
                                type: string
                                enum: [red, blue]
                          status:
                            type: object
                            properties:
                              replicas:
                                type: integer
                  - name: v1beta1
                    served: true
                    storage: false
                    schema:
                      openAPIV3Schema:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                """.formatted(group);
    }

    private static boolean has(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aCrdServesItsResourcesUntilDeleted(String v) throws Exception {
        KubefakeCluster cluster = TestCluster.get();
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace(".", "");
        String group = "v" + suffix + ".stable.example.com";
        String ns = "crd-" + suffix;
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "crd");
        Path crdFile = dir.resolve("crd.yaml");
        Files.writeString(crdFile, crd(group));

        assertEquals("customresourcedefinition.apiextensions.k8s.io/crontabs." + group + " created\n",
                ok(k.run("apply", "-f", crdFile.toString())).out());
        ok(k.run("wait", "--for", "condition=established", "--timeout=30s", "crd/crontabs." + group));
        ok(k.run("create", "namespace", ns));

        Path cr = dir.resolve("cr.yaml");
        Files.writeString(cr, """
                apiVersion: %s/v1
                kind: CronTab
                metadata:
                  name: my-cron
                spec:
                  cronSpec: "* * * * */5"
                """.formatted(group));
        assertEquals("crontab." + group + "/my-cron created\n", ok(k.run("-n", ns, "apply", "-f", cr.toString())).out());
        // the schema's defaults
        assertEquals("busybox 1", ok(k.run("-n", ns, "get", "ct", "my-cron", "-o",
                "jsonpath={.spec.image} {.spec.replicas}")).out());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: %s/v1
                kind: CronTab
                metadata:
                  name: bad-cron
                spec:
                  replicas: "three"
                  color: pink
                """.formatted(group));
        Kubectl.Result refused = k.run("-n", ns, "apply", "-f", bad.toString());
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("The CronTab \"bad-cron\" is invalid: \n"), refused::toString);
        for (String cause : List.of("* spec.cronSpec: Required value",
                "* spec.color: Unsupported value: \"pink\": supported values: \"red\", \"blue\"",
                "* spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"")) {
            assertTrue(refused.err().contains(cause + "\n"), () -> cause + " in " + refused);
        }

        // fields the schema does not know: apply's Strict refuses them, Warn prunes them with a warning
        Path extra = dir.resolve("extra.yaml");
        Files.writeString(extra, """
                apiVersion: %s/v1
                kind: CronTab
                metadata:
                  name: extra-cron
                spec:
                  cronSpec: "0 * * * *"
                  extra: dropped
                """.formatted(group));
        Kubectl.Result strict = k.run("-n", ns, "apply", "-f", extra.toString());
        assertEquals(1, strict.exitCode(), strict::toString);
        assertTrue(strict.err().contains("Error from server (BadRequest): error when creating \"" + extra + "\": CronTab in version "
                + "\"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.extra\""), strict::toString);
        Kubectl.Result warned = ok(k.run("-n", ns, "create", "--validate=warn", "-f", extra.toString()));
        assertTrue(warned.err().contains("Warning: unknown field \"spec.extra\""), warned::toString);
        assertEquals("", ok(k.run("-n", ns, "get", "ct", "extra-cron", "-o", "jsonpath={.spec.extra}")).out());
        ok(k.run("-n", ns, "delete", "ct", "extra-cron"));

        Kubectl.Result table = ok(k.run("-n", ns, "get", "crontabs"));
        assertTrue(has("^NAME +SPEC +REPLICAS +AGE$", table.out()), table::toString);
        assertTrue(has("^my-cron +\\* \\* \\* \\* \\*/5 +1 +\\d+s$", table.out()), table::toString);
        Kubectl.Result wide = ok(k.run("-n", ns, "get", "ct", "-o", "wide"));
        assertTrue(has("^NAME +SPEC +REPLICAS +IMAGE +AGE$", wide.out()), wide::toString);
        assertTrue(has("^my-cron +\\* \\* \\* \\* \\*/5 +1 +busybox +\\d+s$", wide.out()), wide::toString);

        assertEquals("crontab." + group + "/my-cron scaled\n", ok(k.run("-n", ns, "scale", "ct", "my-cron", "--replicas=3")).out());
        assertEquals("3", ok(k.run("-n", ns, "get", "ct", "my-cron", "-o", "jsonpath={.spec.replicas}")).out());
        String scale = ok(k.run("get", "--raw", "/apis/" + group + "/v1/namespaces/" + ns + "/crontabs/my-cron/scale")).out();
        assertTrue(scale.startsWith("{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\""), scale);
        assertTrue(scale.contains("\"spec\":{\"replicas\":3},\"status\":{\"replicas\":0}"), scale);

        Kubectl.Result all = ok(k.run("-n", ns, "get", "all"));
        assertTrue(has("^crontab\\." + Pattern.quote(group) + "/my-cron +", all.out()), all::toString);
        assertTrue(ok(k.run("api-resources", "--api-group=" + group)).out().contains("crontabs"));
        assertEquals(group + "/v1beta1", ok(k.run("-n", ns, "get", "crontabs.v1beta1." + group, "my-cron", "-o",
                "jsonpath={.apiVersion}")).out());

        Kubectl.Result explain = ok(k.run("explain", "crontabs." + group));
        assertTrue(explain.out().startsWith("GROUP:      " + group + "\nKIND:       CronTab\nVERSION:    v1\n\nDESCRIPTION:\n"
                + "    A CronTab runs an image on a schedule.\n"), explain::toString);
        assertTrue(has("^  metadata\t<ObjectMeta>$", explain.out()), explain::toString);
        assertTrue(has("^  spec\t<Object>$", explain.out()), explain::toString);
        Kubectl.Result field = ok(k.run("explain", "crontabs." + group + ".spec"));
        assertTrue(has("^  cronSpec\t<string> -required-$", field.out()), field::toString);

        // a PUT of a custom resource must name the version it replaces (kubectl replace fills it in from a GET; a raw
        // PUT of the file, which has none, is refused)
        String url = "/apis/" + group + "/v1/namespaces/" + ns + "/crontabs/my-cron";
        Path json = dir.resolve("cr.json");
        Files.writeString(json, "{\"apiVersion\":\"" + group + "/v1\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"my-cron\"},"
                + "\"spec\":{\"cronSpec\":\"0 0 * * *\"}}");
        Kubectl.Result raw = k.run("replace", "--raw", url, "-f", json.toString());
        assertEquals(1, raw.exitCode(), raw::toString);
        // the real registry names the resource, not the kind, in this error's details (kubectl prints details.kind)
        assertEquals("The crontabs \"my-cron\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for "
                + "an update\n", raw.err());
        assertEquals("crontab." + group + "/my-cron replaced\n", ok(k.run("-n", ns, "replace", "-f", json.toString())).out());
        assertEquals("0 0 * * *", ok(k.run("-n", ns, "get", "ct", "my-cron", "-o", "jsonpath={.spec.cronSpec}")).out());

        assertEquals("customresourcedefinition.apiextensions.k8s.io \"crontabs." + group + "\" deleted\n",
                ok(k.run("delete", "crd", "crontabs." + group)).out());
        assertTrue(cluster.registry().resource(group, "v1", "crontabs").isEmpty(), "no longer served");
        assertTrue(cluster.registry().store().range("/registry/" + group + "/",
                kubefake.store.mvcc.ReadView.prefixEnd("/registry/" + group + "/"), 0, 0).kvs().isEmpty(),
                "its custom resources are gone from the store");
        Kubectl.Result gone = k.run("get", "--raw", "/apis/" + group + "/v1");
        assertEquals(1, gone.exitCode(), gone::toString);
        assertTrue(gone.err().contains("the server could not find the requested resource"), gone::toString);
        assertFalse(ok(k.run("api-resources")).out().contains(group));
        k.runUntil(Duration.ofSeconds(10), r -> r.out().isEmpty(), "get", "crd", "crontabs." + group, "--ignore-not-found");
    }
}
