package kubefake.controllers.certificates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.certs.ClusterPki;
import kubefake.certs.PkiSpec;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import static kubefake.controllers.ControllerTestCluster.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kube-apiserver-client signer on the manual runtime: what it signs, for how long, and what it marks Failed. */
class CsrSigningControllerTest {
    private static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
    private final ControllerTestCluster cluster = new ControllerTestCluster("default");
    private final ResourceClient csrs = cluster.admin.resource("certificates.k8s.io", "certificatesigningrequests");
    @TempDir
    Path pkiDir;
    private ClusterPki pki;
    private CsrSigningController signer;

    private void start(Duration signingDuration) {
        pki = ClusterPki.loadOrCreate(pkiDir, PkiSpec.forThisHost("cp"), cluster.runtime.clock());
        signer = new CsrSigningController(cluster.controllerClient(CsrSigningController.SERVICE_ACCOUNT), cluster.informers,
                cluster.runtime, pki, signingDuration);
        signer.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        if (signer != null) signer.close();
        cluster.close();
    }

    @Test
    void anApprovedRequestIsSignedForItsExpirationLessTheBackdate() throws Exception {
        start(CsrSigningController.DEFAULT_SIGNING_DURATION);
        create("alice", CLIENT_SIGNER, 86400L, "client auth", "digital signature");
        cluster.runtime.runUntilIdle();
        assertTrue(certificate("alice").isEmpty(), "a pending request is not signed");
        approve("alice");
        cluster.runtime.runUntilIdle();
        X509Certificate cert = parse(certificate("alice"));
        Instant now = cluster.runtime.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        assertEquals(now.minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant());
        assertEquals(now.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(5)), cert.getNotAfter().toInstant());
        assertEquals("CN=alice,O=dev", cert.getSubjectX500Principal().getName());
        assertEquals(pki.caCertificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(pki.caCertificate().getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        assertTrue(cert.getKeyUsage()[0], "digital signature");
        assertEquals(-1, cert.getBasicConstraints());
    }

    @Test
    void durationsAreCappedByTheSigningDurationAndShortOnesKeepTheirEnd() throws Exception {
        start(Duration.ofHours(48));
        create("week", CLIENT_SIGNER, 7 * 86400L, "client auth");
        create("short", CLIENT_SIGNER, 600L, "client auth");
        create("default", CLIENT_SIGNER, null, "client auth");
        approve("week");
        approve("short");
        approve("default");
        cluster.runtime.runUntilIdle();
        Instant now = cluster.runtime.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        assertEquals(now.plus(Duration.ofHours(48)).minus(Duration.ofMinutes(5)), parse(certificate("week")).getNotAfter().toInstant());
        assertEquals(now.plus(Duration.ofMinutes(10)), parse(certificate("short")).getNotAfter().toInstant());
        assertEquals(now.plus(Duration.ofHours(48)).minus(Duration.ofMinutes(5)), parse(certificate("default")).getNotAfter().toInstant());
    }

    @Test
    void usagesTheClientSignerRefusesMarkTheRequestFailed() throws Exception {
        start(CsrSigningController.DEFAULT_SIGNING_DURATION);
        create("server", CLIENT_SIGNER, null, "client auth", "server auth");
        create("noclient", CLIENT_SIGNER, null, "key encipherment");
        approve("server");
        approve("noclient");
        cluster.runtime.runUntilIdle();
        assertFailed("server", "invalid usage for client certificate: server auth");
        assertFailed("noclient", "missing required usage for client certificate: client auth");
    }

    @Test
    void otherSignersAndDeniedRequestsAreLeftAlone() throws Exception {
        start(CsrSigningController.DEFAULT_SIGNING_DURATION);
        create("elsewhere", "example.com/my-signer", null, "client auth");
        create("denied", CLIENT_SIGNER, null, "client auth");
        approve("elsewhere");
        csrs.patchSubresource("approval", "", "denied", csr -> {
            csr.with("status").withArray("conditions").addObject().put("type", "Denied").put("status", "True");
            return csr;
        });
        cluster.runtime.runUntilIdle();
        assertTrue(certificate("elsewhere").isEmpty());
        assertTrue(certificate("denied").isEmpty());
        assertEquals(1, csrs.get("", "elsewhere").toNode().path("status").path("conditions").size());
    }

    private void assertFailed(String name, String message) {
        ObjectNode csr = csrs.get("", name).toNode();
        assertTrue(certificate(name).isEmpty());
        var failed = csr.path("status").path("conditions").get(1);
        assertEquals("Failed", failed.path("type").asText());
        assertEquals("True", failed.path("status").asText());
        assertEquals("SignerValidationFailure", failed.path("reason").asText());
        assertEquals(message, failed.path("message").asText());
        assertFalse(failed.path("lastUpdateTime").asText().isEmpty());
    }

    private void create(String name, String signerName, Long expirationSeconds, String... usages) throws Exception {
        ObjectNode csr = object("certificates.k8s.io/v1", "CertificateSigningRequest", null, name);
        ObjectNode spec = csr.putObject("spec").put("signerName", signerName)
                .put("request", Base64.getEncoder().encodeToString(requestPem(name, "dev")));
        if (expirationSeconds != null) spec.put("expirationSeconds", expirationSeconds);
        for (String u : usages) spec.withArray("usages").add(u);
        csrs.create(csr);
    }

    private void approve(String name) {
        csrs.patchSubresource("approval", "", name, csr -> {
            csr.with("status").withArray("conditions").addObject().put("type", "Approved").put("status", "True")
                    .put("reason", "KubectlApprove").put("message", "This CSR was approved by kubectl certificate approve.");
            return csr;
        });
    }

    private String certificate(String name) {
        return csrs.get("", name).toNode().path("status").path("certificate").asText("");
    }

    private static X509Certificate parse(String base64Pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    }

    /** What {@code openssl req -new -subj /CN=NAME/O=ORG} makes, with an RSA key. */
    private static byte[] requestPem(String commonName, String organization) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName + ",O=" + organization), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(request.getEncoded());
        return ("-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE REQUEST-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
