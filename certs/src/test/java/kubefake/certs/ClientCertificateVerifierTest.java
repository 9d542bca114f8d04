package kubefake.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCertificateVerifierTest {
    @TempDir
    Path tmp;

    ClusterPki pki;

    @BeforeEach
    void createPki() throws Exception {
        pki = ClusterPki.loadOrCreate(tmp.resolve("pki"),
                new PkiSpec("m-k8s", InetAddress.getByName("192.0.2.2"), List.of(), List.of()), ClusterPkiTest.CLOCK);
    }

    @Test
    void certificateFromTheClusterCaAuthenticatesUserAndGroupsInOrder() throws Exception {
        ClientCertificate jane = pki.issueClientCertificate("jane", List.of("system:masters", "dev"), Duration.ofDays(1));

        ClientIdentity identity = pki.clientCertificateVerifier().verify(List.of(jane.certificate(), pki.caCertificate()));

        assertEquals(new ClientIdentity("jane", List.of("system:masters", "dev")), identity);
        assertEquals(Optional.of(identity), pki.clientCertificateVerifier().authenticate(new X509Certificate[] {jane.certificate()}));
    }

    @Test
    void certificateFromAnotherCaIsRejected() throws Exception {
        ClusterPki other = ClusterPki.loadOrCreate(tmp.resolve("other"),
                new PkiSpec("m-k8s", InetAddress.getByName("192.0.2.2"), List.of(), List.of()), ClusterPkiTest.CLOCK);
        ClientCertificate stranger = other.issueClientCertificate("kubernetes-admin", List.of("system:masters"), Duration.ofDays(1));

        CertificateException e = assertThrows(CertificateException.class,
                () -> pki.clientCertificateVerifier().verify(List.of(stranger.certificate(), other.caCertificate())));

        assertEquals("x509: certificate signed by unknown authority", e.getMessage());
        assertEquals(Optional.empty(), pki.clientCertificateVerifier().authenticate(new X509Certificate[] {stranger.certificate()}));
    }

    @Test
    void expiredCertificateIsRejected() {
        ClientCertificate shortLived = pki.issueClientCertificate("temp", List.of(), Duration.ofHours(1));
        Clock twoHoursLater = Clock.offset(ClusterPkiTest.CLOCK, Duration.ofHours(2));

        CertificateException e = assertThrows(CertificateException.class,
                () -> pki.clientCertificateVerifier(twoHoursLater).verify(List.of(shortLived.certificate())));

        assertEquals("x509: certificate has expired or is not yet valid: current time 2026-11-22T15:12:21Z"
                + " is after 2026-11-22T14:12:21Z", e.getMessage());
    }

    @Test
    void servingCertificateIsNotAClientCertificate() {
        CertificateException e = assertThrows(CertificateException.class,
                () -> pki.clientCertificateVerifier().verify(List.of(pki.servingCertificate())));
        assertEquals("x509: certificate specifies an incompatible key usage", e.getMessage());
    }

    @Test
    void noCertificateAuthenticatesNobody() {
        assertThrows(CertificateException.class, () -> pki.clientCertificateVerifier().verify(List.of()));
        assertEquals(Optional.empty(), pki.clientCertificateVerifier().authenticate(null));
    }

    @Test
    void requestingTrustManagerAnnouncesTheClusterCaAndLeavesTheVerdictToVerify() throws Exception {
        var trustManager = pki.clientCertificateVerifier().requestingTrustManager();
        assertArrayEquals(new X509Certificate[] {pki.caCertificate()}, trustManager.getAcceptedIssuers());
        ClientCertificate jane = pki.issueClientCertificate("jane", List.of(), Duration.ofDays(1));
        trustManager.checkClientTrusted(new X509Certificate[] {jane.certificate()}, "ECDHE_ECDSA");
        assertThrows(CertificateException.class,
                () -> trustManager.checkServerTrusted(new X509Certificate[] {pki.servingCertificate()}, "ECDHE_ECDSA"));
    }

    @Test
    void issuingRejectsAnEmptyUserName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pki.issueClientCertificate("", List.of("g"), Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("commonName"));
    }
}
