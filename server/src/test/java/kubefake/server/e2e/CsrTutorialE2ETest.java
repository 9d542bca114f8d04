package kubefake.server.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes docs' "normal user" tutorial with openssl and kubectl: a key and a CSR made by openssl, a
 * CertificateSigningRequest for {@code kubernetes.io/kube-apiserver-client} applied, listed Pending, approved with
 * {@code kubectl certificate approve}, issued by the cluster CA (subject and issuer as openssl shows them, valid the 24 h
 * asked for), then a kubeconfig with that certificate: refused until a Role and RoleBinding allow, then allowed. Also
 * deny, a usage the signer refuses (Failed) and the validation errors as the real server words them.
 */
class CsrTutorialE2ETest {
    static final String HEADER = "NAME +AGE +SIGNERNAME +REQUESTOR +REQUESTEDDURATION +CONDITION";
    static final String SIGNER = "kubernetes.io/kube-apiserver-client";

    static List<String> versions() {
        return Kubectl.VERSIONS;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theNormalUserTutorialEndToEnd(String v) throws Exception {
        String user = "myuser-" + v.replace('.', '-');
        String ns = "csr-" + v.replace('.', '-');
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "csr");
        Kubectl admin = TestCluster.kubectl(v);
        Kubectl.ok(admin.run("create", "namespace", ns));
        Path key = dir.resolve(user + ".key");
        openssl("genrsa", "-out", key.toString(), "2048");
        Path request = dir.resolve(user + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-out", request.toString(), "-subj", "/CN=" + user + "/O=dev");

        Kubectl.Result applied = admin.runWithInput(csr(user, Files.readAllBytes(request), "client auth"), "apply", "-f", "-");
        assertEquals("certificatesigningrequest.certificates.k8s.io/" + user + " created\n", Kubectl.ok(applied).out());
        List<String> pending = Kubectl.lines(Kubectl.ok(admin.run("get", "csr", user)));
        assertTrue(pending.get(0).matches(HEADER), pending::toString);
        assertTrue(pending.get(1).matches(user + " +\\d+s +" + SIGNER + " +kubernetes-admin +24h +Pending"), pending::toString);

        Kubectl.Result approve = admin.run("certificate", "approve", user);
        assertEquals("certificatesigningrequest.certificates.k8s.io/" + user + " approved\n", Kubectl.ok(approve).out());
        Kubectl.Result issued = admin.runUntil(Duration.ofSeconds(20), r -> r.out().contains("Approved,Issued"), "get", "csr", user);
        assertTrue(Kubectl.lines(issued).get(1).matches(user + " +\\d+s +" + SIGNER + " +kubernetes-admin +24h +Approved,Issued"),
                issued::toString);
        Kubectl.Result conditions = admin.run("get", "csr", user, "-o",
                "jsonpath={.status.conditions[0].type} {.status.conditions[0].reason} {.status.conditions[0].message}");
        assertEquals("Approved KubectlApprove This CSR was approved by kubectl certificate approve.", Kubectl.ok(conditions).out());

        Path certificate = dir.resolve(user + ".crt");
        String pem = Kubectl.ok(admin.run("get", "csr", user, "-o", "jsonpath={.status.certificate}")).out();
        Files.write(certificate, Base64.getDecoder().decode(pem));
        String shown = openssl("x509", "-in", certificate.toString(), "-noout", "-subject", "-issuer");
        assertEquals("subject=O = dev, CN = " + user + "\nissuer=CN = kubernetes\n", shown);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate)));
        assertEquals(Duration.ofHours(24), Duration.between(x509.getNotBefore().toInstant(), x509.getNotAfter().toInstant()));
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), x509.getExtendedKeyUsage());

        // the tutorial's kubeconfig: admin.conf's cluster, the new user's key and certificate
        Path conf = dir.resolve("config");
        Files.copy(TestCluster.get().adminConf(), conf);
        Kubectl me = new Kubectl(v, conf, Files.createTempDirectory(dir, "home"));
        Kubectl.ok(me.run("config", "set-credentials", user, "--client-key=" + key, "--client-certificate=" + certificate,
                "--embed-certs=true"));
        Kubectl.ok(me.run("config", "set-context", user, "--cluster=kubernetes", "--user=" + user));
        Kubectl.ok(me.run("config", "use-context", user));
        RbacE2ETest.assertForbidden("pods is forbidden: User \"" + user + "\" cannot list resource \"pods\" in API group \"\" "
                + "in the namespace \"" + ns + "\"", me.run("-n", ns, "get", "pods"));

        Kubectl.ok(admin.run("-n", ns, "create", "role", "developer", "--verb=create", "--verb=get", "--verb=list",
                "--verb=update", "--verb=delete", "--resource=pods"));
        Kubectl.ok(admin.run("-n", ns, "create", "rolebinding", "developer-binding-" + user, "--role=developer", "--user=" + user));
        Kubectl.Result pods = me.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "pods");
        assertEquals("No resources found in " + ns + " namespace.\n", pods.err(), pods::toString);
        RbacE2ETest.assertForbidden("services is forbidden: User \"" + user + "\" cannot list resource \"services\" in API group \"\" "
                + "in the namespace \"" + ns + "\"", me.run("-n", ns, "get", "services"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void deniedRequestsAreNeverIssued(String v) throws Exception {
        String name = "denied-" + v.replace('.', '-');
        Kubectl admin = TestCluster.kubectl(v);
        Kubectl.ok(admin.runWithInput(csr(name, request(name, "dev"), "client auth"), "apply", "-f", "-"));
        Kubectl.Result deny = admin.run("certificate", "deny", name);
        assertEquals("certificatesigningrequest.certificates.k8s.io/" + name + " denied\n", Kubectl.ok(deny).out());
        List<String> lines = Kubectl.lines(Kubectl.ok(admin.run("get", "csr", name)));
        assertTrue(lines.get(1).matches(name + " +\\d+s +" + SIGNER + " +kubernetes-admin +24h +Denied"), lines::toString);
        Kubectl.Result reason = admin.run("get", "csr", name, "-o",
                "jsonpath={.status.conditions[0].reason} {.status.conditions[0].message}|{.status.certificate}");
        assertEquals("KubectlDeny This CSR was denied by kubectl certificate deny.|", Kubectl.ok(reason).out());
        // a decision stays: the approval subresource may not drop it
        Kubectl.Result undo = admin.run("patch", "csr", name, "--subresource=approval", "--type=json",
                "-p", "[{\"op\":\"remove\",\"path\":\"/status/conditions/0\"}]");
        assertEquals(1, undo.exitCode(), undo::toString);
        if (!v.equals("1.33")) {
            // before 1.33 kubectl patch knows only the status and scale subresources
            assertEquals("error: invalid subresource value: \"approval\". Must be one of [status scale]\n", undo.err());
            return;
        }
        assertEquals("The CertificateSigningRequest \"" + name + "\" is invalid: status.conditions: Forbidden: updates may not "
                + "remove a condition of type \"Denied\"\n", undo.err());
    }

    @Test
    void usagesTheSignerRefusesFailTheRequest() throws Exception {
        Kubectl admin = TestCluster.kubectl("1.33");
        Kubectl.ok(admin.runWithInput(csr("server-usage", request("server-usage", "dev"), "server auth"), "apply", "-f", "-"));
        Kubectl.ok(admin.run("certificate", "approve", "server-usage"));
        Kubectl.Result failed = admin.runUntil(Duration.ofSeconds(20), r -> r.out().contains("Failed"), "get", "csr", "server-usage");
        assertTrue(Kubectl.lines(failed).get(1).matches("server-usage .* +Approved,Failed"), failed::toString);
        Kubectl.Result condition = admin.run("get", "csr", "server-usage", "-o",
                "jsonpath={.status.conditions[1].type} {.status.conditions[1].reason} {.status.conditions[1].message}|{.status.certificate}");
        assertEquals("Failed SignerValidationFailure invalid usage for client certificate: server auth|", Kubectl.ok(condition).out());
    }

    @Test
    void invalidRequestsAreRefusedAsTheRealServerWordsThem() throws Exception {
        Kubectl admin = TestCluster.kubectl("1.33");
        Kubectl.Result notPem = admin.runWithInput(csr("bad-pem", "hi".getBytes(StandardCharsets.US_ASCII), "client auth"),
                "create", "-f", "-");
        assertEquals(1, notPem.exitCode(), notPem::toString);
        assertEquals("The CertificateSigningRequest \"bad-pem\" is invalid: spec.request: Invalid value: []byte{0x68, 0x69}: "
                + "PEM block type must be CERTIFICATE REQUEST\n", notPem.err());

        byte[] good = request("bad-usage", "dev");
        Kubectl.Result usage = admin.runWithInput(csr("bad-usage", good, "fly"), "create", "-f", "-");
        assertEquals(1, usage.exitCode(), usage::toString);
        assertTrue(usage.err().startsWith("The CertificateSigningRequest \"bad-usage\" is invalid: spec.usages[0]: "
                + "Unsupported value: \"fly\": supported values: \"any\", \"cert sign\", \"client auth\""), usage::toString);

        Kubectl.Result signer = admin.runWithInput(csr("bad-signer", good, "client auth").replace(SIGNER, "kube-apiserver-client"),
                "create", "-f", "-");
        assertEquals(1, signer.exitCode(), signer::toString);
        assertEquals("The CertificateSigningRequest \"bad-signer\" is invalid: spec.signerName: Invalid value: "
                + "\"kube-apiserver-client\": must be a fully qualified domain and path of the form 'example.com/signer-name'\n",
                signer.err());

        Kubectl.Result oneLabel = admin.runWithInput(csr("one-label", good, "client auth").replace(SIGNER, "localhost/signer"),
                "create", "-f", "-");
        assertEquals("The CertificateSigningRequest \"one-label\" is invalid: spec.signerName: Invalid value: \"localhost\": "
                + "should be a domain with at least two segments separated by dots\n", oneLabel.err(), oneLabel::toString);
    }

    @Test
    void approvingNeedsApproveOnTheSigner() throws Exception {
        Kubectl admin = TestCluster.kubectl("1.33");
        Kubectl.ok(admin.runWithInput(csr("needs-approver", request("needs-approver", "dev"), "client auth"), "apply", "-f", "-"));
        Kubectl.ok(admin.run("create", "clusterrole", "csr-approval", "--verb=get,list,update",
                "--resource=certificatesigningrequests,certificatesigningrequests/approval"));
        Kubectl.ok(admin.run("create", "clusterrolebinding", "csr-approval-carol", "--clusterrole=csr-approval", "--user=carol"));
        Path conf = TestCluster.dataDir().resolve("carol.conf");
        assertEquals(0, kubefake.server.cli.Main.commandLine().execute("kubeconfig", "user", "carol",
                "--data-dir", TestCluster.get().adminConf().getParent().toString(), "-o", conf.toString()));
        Kubectl carol = new Kubectl("1.33", conf, Files.createTempDirectory(TestCluster.dataDir(), "home"));
        RbacE2ETest.assertForbidden("certificatesigningrequests.certificates.k8s.io \"needs-approver\" is forbidden: user not "
                + "permitted to approve requests with signerName \"" + SIGNER + "\"", carol.run("certificate", "approve", "needs-approver"));

        // as the docs write it: kubectl create clusterrole refuses a resource discovery does not list, such as signers
        Kubectl.ok(admin.runWithInput("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: approve-clients\n"
                + "rules:\n- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  resourceNames: [" + SIGNER + "]\n"
                + "  verbs: [approve]\n", "apply", "-f", "-"));
        Kubectl.ok(admin.run("create", "clusterrolebinding", "approve-clients-carol", "--clusterrole=approve-clients", "--user=carol"));
        Kubectl.Result approved = carol.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "certificate", "approve", "needs-approver");
        assertEquals("certificatesigningrequest.certificates.k8s.io/needs-approver approved\n", approved.out());
    }

    @Test
    void theClientSignerRefusesSystemMasters() throws Exception {
        Kubectl.Result masters = TestCluster.kubectl("1.33").runWithInput(
                csr("masters", request("mallory", "system:masters"), "client auth"), "create", "-f", "-");
        assertEquals(1, masters.exitCode(), masters::toString);
        assertEquals("Error from server (Forbidden): error when creating \"STDIN\": certificatesigningrequests.certificates.k8s.io "
                + "\"masters\" is forbidden: use of " + SIGNER + " signer with system:masters group is not allowed\n", masters.err());
    }

    @Test
    void theRequestorIsWhoeverCreatedItAndTheSpecNeverChanges() throws Exception {
        Kubectl admin = TestCluster.kubectl("1.33");
        String manifest = csr("claims", request("claims", "dev"), "client auth")
                + "  username: someone-else\n  groups: [system:masters]\n  uid: \"42\"\n";
        Kubectl.ok(admin.runWithInput(manifest, "create", "-f", "-"));
        String requestor = "jsonpath={.spec.username} {.spec.groups} {.spec.uid}|{.spec.usages}";
        assertEquals("kubernetes-admin [\"kubeadm:cluster-admins\",\"system:authenticated\"] |[\"client auth\"]",
                Kubectl.ok(admin.run("get", "csr", "claims", "-o", requestor)).out());
        // an update of the main resource keeps the stored spec, as the real strategy's PrepareForUpdate does
        Kubectl.ok(admin.run("patch", "csr", "claims", "--type=merge", "-p", "{\"spec\":{\"usages\":[\"server auth\"],\"username\":\"x\"}}"));
        assertEquals("kubernetes-admin [\"kubeadm:cluster-admins\",\"system:authenticated\"] |[\"client auth\"]",
                Kubectl.ok(admin.run("get", "csr", "claims", "-o", requestor)).out());
    }

    @Test
    void discoveryListsTheGroupAsARealServerDoes() throws Exception {
        String served = Kubectl.ok(TestCluster.kubectl("1.33").run("get", "--raw", "/apis/certificates.k8s.io/v1")).out();
        assertEquals(kubefake.testkit.Reference.http("apis-certificates.k8s.io_v1"),
                kubefake.store.registry.Json.MAPPER.readTree(served));
    }

    /** The tutorial's manifest, with the request PEM base64-encoded. */
    static String csr(String name, byte[] requestPem, String usage) {
        return "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: " + name + "\nspec:\n"
                + "  request: " + Base64.getEncoder().encodeToString(requestPem) + "\n  signerName: " + SIGNER + "\n"
                + "  expirationSeconds: 86400\n  usages:\n  - " + usage + "\n";
    }

    static byte[] request(String commonName, String organization) throws Exception {
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "req");
        Path key = dir.resolve("k.key");
        openssl("genrsa", "-out", key.toString(), "2048");
        Path out = dir.resolve("k.csr");
        openssl("req", "-new", "-key", key.toString(), "-out", out.toString(), "-subj", "/CN=" + commonName + "/O=" + organization);
        return Files.readAllBytes(out);
    }

    static String openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> command + ": " + out);
        return out;
    }
}
