package kubefake.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {
    static final Instant T0 = Instant.parse("2026-11-22T13:12:21Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path tmp;

    static PkiSpec spec(String advertise, String... extraIps) throws Exception {
        List<InetAddress> extras = new ArrayList<>();
        for (String ip : extraIps) {
            extras.add(InetAddress.getByName(ip));
        }
        return new PkiSpec("m-k8s", InetAddress.getByName(advertise), extras, List.of("api.example.test"));
    }

    @Test
    void createsTheKubeadmFilesWithKubeadmModesInAMissingDirectory() throws Exception {
        Path dir = tmp.resolve("etc/kubernetes/pki");
        ClusterPki.loadOrCreate(dir, spec("192.0.2.2"), CLOCK);

        Set<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(Set.of("ca.crt", "ca.key", "apiserver.crt", "apiserver.key",
                "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key",
                "front-proxy-ca.crt", "front-proxy-ca.key", "front-proxy-client.crt", "front-proxy-client.key",
                "sa.key", "sa.pub"), names);
        for (String name : names) {
            String expected = name.endsWith(".crt") ? "rw-r--r--" : "rw-------"; // sa.pub is 0600 in kubeadm too
            assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))), name);
        }
    }

    @Test
    void writesPemInKubeadmFormats() throws Exception {
        // Parsed with Bouncy Castle here, an implementation independent of the code under test.
        ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        assertTrue(read("ca.crt").startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(read("sa.pub").startsWith("-----BEGIN PUBLIC KEY-----\n"));
        for (String key : List.of("ca.key", "apiserver.key", "sa.key", "front-proxy-client.key")) {
            String pem = read(key);
            assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----\n"), key);
            // Go's x509.ParseECPrivateKey needs SEC 1 version 1 with the named curve; the public key lets tools derive sa.pub.
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            ECPrivateKey sec1 = ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(Base64.getDecoder().decode(body)));
            assertEquals(SECObjectIdentifiers.secp256r1, sec1.getParametersObject());
            assertNotNull(sec1.getPublicKey(), key);
            assertEquals(32, sec1.getPrivateKey().getOctets().length, key);
        }
    }

    @Test
    void caIsSelfSignedKubernetesCaForTenYears() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        X509Certificate ca = pki.caCertificate();

        assertEquals("CN=kubernetes", ca.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
        assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints(), "CA:TRUE without path length");
        assertTrue(ca.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.15", "2.5.29.19")));
        assertArrayEquals(keyUsage(true, true, true), keyUsageBits(ca));
        assertEquals(List.of(List.of(2, "kubernetes")), sans(ca));
        assertNotNull(ca.getExtensionValue("2.5.29.14"), "subject key identifier");
        assertEquals(T0.minus(Duration.ofMinutes(5)), ca.getNotBefore().toInstant());
        assertEquals(T0.plus(Duration.ofDays(3650)), ca.getNotAfter().toInstant());
        assertEquals("SHA256withECDSA", ca.getSigAlgName());
        assertTrue(ca.getSerialNumber().signum() > 0);

        X509Certificate frontProxyCa = pki.frontProxyCaCertificate();
        assertEquals("CN=front-proxy-ca", frontProxyCa.getSubjectX500Principal().getName());
        frontProxyCa.verify(frontProxyCa.getPublicKey());
        assertEquals(List.of(List.of(2, "front-proxy-ca")), sans(frontProxyCa));
    }

    @Test
    void servingCertificateHasEveryKubeadmSanAndTheSpecExtras() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2", "10.0.0.7", "127.0.0.1"), CLOCK);
        X509Certificate serving = pki.servingCertificate();

        assertEquals("CN=kube-apiserver", serving.getSubjectX500Principal().getName());
        assertEquals("CN=kubernetes", serving.getIssuerX500Principal().getName());
        serving.verify(pki.caCertificate().getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), serving.getExtendedKeyUsage(), "serverAuth only");
        assertArrayEquals(keyUsage(true, true, false), keyUsageBits(serving));
        assertEquals(-1, serving.getBasicConstraints());
        assertTrue(serving.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.15", "2.5.29.19")));
        assertNotNull(serving.getExtensionValue("2.5.29.35"), "authority key identifier");
        assertEquals(List.of(
                List.of(2, "kubernetes"), List.of(2, "kubernetes.default"), List.of(2, "kubernetes.default.svc"),
                List.of(2, "kubernetes.default.svc.cluster.local"), List.of(2, "localhost"), List.of(2, "m-k8s"),
                List.of(2, "api.example.test"),
                List.of(7, "10.96.0.1"), List.of(7, "192.0.2.2"), List.of(7, "127.0.0.1"), List.of(7, "10.0.0.7")),
                sans(serving));
        assertEquals(pki.caCertificate().getNotBefore(), serving.getNotBefore(), "kubeadm starts leaves with the CA");
        assertEquals(T0.plus(Duration.ofDays(365)), serving.getNotAfter().toInstant());
        assertEquals(List.of(serving, pki.caCertificate()), pki.servingCertificateChain());
        assertTrue(Keys.belongTogether(new java.security.KeyPair(null, pki.servingKey()), serving.getPublicKey()));
    }

    @Test
    void kubeletAndFrontProxyClientCertificatesMatchTheRecording() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);

        X509Certificate kubelet = pki.apiserverKubeletClient().certificate();
        assertEquals("CN=kube-apiserver-kubelet-client", kubelet.getSubjectX500Principal().getName());
        kubelet.verify(pki.caCertificate().getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), kubelet.getExtendedKeyUsage(), "clientAuth only");
        assertArrayEquals(keyUsage(true, true, false), keyUsageBits(kubelet));
        assertEquals(-1, kubelet.getBasicConstraints());

        X509Certificate frontProxy = pki.frontProxyClient().certificate();
        assertEquals("CN=front-proxy-client", frontProxy.getSubjectX500Principal().getName());
        assertEquals("CN=front-proxy-ca", frontProxy.getIssuerX500Principal().getName());
        frontProxy.verify(pki.frontProxyCaCertificate().getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), frontProxy.getExtendedKeyUsage());
    }

    @Test
    void issuedClientCertificateCarriesUserAndGroupsLikeKubeadmAdmin() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        ClientCertificate admin = pki.issueClientCertificate("kubernetes-admin", List.of("kubeadm:cluster-admins"),
                Duration.ofDays(365));

        X509Certificate certificate = admin.certificate();
        // Encoding order as openssl prints it: O = kubeadm:cluster-admins, CN = kubernetes-admin
        assertEquals("O=kubeadm:cluster-admins,CN=kubernetes-admin", org.bouncycastle.asn1.x500.X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).toString());
        assertEquals("kubernetes-admin", admin.commonName());
        assertEquals(List.of("kubeadm:cluster-admins"), admin.organizations());
        certificate.verify(pki.caCertificate().getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage());
        assertArrayEquals(keyUsage(true, true, false), keyUsageBits(certificate));
        assertEquals(T0.plus(Duration.ofDays(365)), certificate.getNotAfter().toInstant());
        assertTrue(new String(admin.certificatePem(), StandardCharsets.US_ASCII).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(new String(admin.privateKeyPem(), StandardCharsets.US_ASCII).startsWith("-----BEGIN EC PRIVATE KEY-----"));

        ClientCertificate parsed = ClientCertificate.fromPem(admin.certificatePem(), admin.privateKeyPem());
        assertEquals(certificate, parsed.certificate());
        ClientCertificate other = pki.issueClientCertificate("other", List.of(), Duration.ofDays(1));
        assertThrows(IllegalArgumentException.class, () -> ClientCertificate.fromPem(admin.certificatePem(), other.privateKeyPem()));
    }

    @Test
    void subjectEncodesOrganizationsBeforeCommonNameInOrder() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        ClientCertificate cert = pki.issueClientCertificate("jane", List.of("system:masters", "dev", "ops"), Duration.ofHours(1));
        // RFC 2253 prints the RDNs last to first.
        assertEquals("CN=jane,O=ops,O=dev,O=system:masters", cert.certificate().getSubjectX500Principal().getName());
        assertEquals(List.of("system:masters", "dev", "ops"), cert.organizations());
    }

    @Test
    void restartReusesEveryFile() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        List<byte[]> before = readAll();

        ClusterPki second = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), Clock.offset(CLOCK, Duration.ofDays(30)));

        List<byte[]> after = readAll();
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i));
        }
        assertArrayEquals(first.caCertificatePem(), second.caCertificatePem());
        assertEquals(first.caKey(), second.caKey());
        assertEquals(first.servingCertificate(), second.servingCertificate());
        assertEquals(first.serviceAccountKeyPair().getPublic(), second.serviceAccountKeyPair().getPublic());
        assertTrue(second.changes().stream().allMatch(c -> c.startsWith("reused ")), second.changes().toString());
        assertEquals(6, second.changes().size());
    }

    @Test
    void newAdvertiseAddressReissuesOnlyTheServingCertificateWithTheSameCa() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        byte[] kubeletClient = Files.readAllBytes(tmp.resolve("apiserver-kubelet-client.crt"));

        ClusterPki second = ClusterPki.loadOrCreate(tmp, spec("198.51.100.9"), CLOCK);

        assertArrayEquals(first.caCertificatePem(), second.caCertificatePem());
        assertNotEquals(first.servingCertificate(), second.servingCertificate());
        assertNotEquals(first.servingKey(), second.servingKey());
        assertTrue(sans(second.servingCertificate()).contains(List.of(7, "198.51.100.9")));
        second.servingCertificate().verify(first.caCertificate().getPublicKey());
        assertArrayEquals(second.servingCertificatePem(), Files.readAllBytes(tmp.resolve("apiserver.crt")));
        assertArrayEquals(kubeletClient, Files.readAllBytes(tmp.resolve("apiserver-kubelet-client.crt")));
        assertTrue(second.changes().contains("reissued apiserver.crt: lacks IP SAN 198.51.100.9"), second.changes().toString());
    }

    @Test
    void expiredLeafIsReissuedButTheCaKept() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        Clock later = Clock.offset(CLOCK, Duration.ofDays(400));

        ClusterPki second = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), later);

        assertArrayEquals(first.caCertificatePem(), second.caCertificatePem());
        assertEquals(later.instant().plus(Duration.ofDays(365)), second.servingCertificate().getNotAfter().toInstant());
        assertTrue(second.changes().stream().anyMatch(c -> c.startsWith("reissued apiserver-kubelet-client.crt: expired")),
                second.changes().toString());
    }

    @Test
    void corruptCaCertificateIsAnErrorNamingTheFileAndNothingIsOverwritten() throws Exception {
        ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        Files.writeString(tmp.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        byte[] key = Files.readAllBytes(tmp.resolve("ca.key"));

        PkiException e = assertThrows(PkiException.class, () -> ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK));

        assertEquals(tmp.resolve("ca.crt"), e.file());
        assertTrue(e.getMessage().contains("ca.crt: is not a valid PEM certificate"), e.getMessage());
        assertArrayEquals(key, Files.readAllBytes(tmp.resolve("ca.key")));
    }

    @Test
    void corruptLeafKeyIsAnErrorNamingTheFile() throws Exception {
        ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        Files.writeString(tmp.resolve("apiserver.key"), "garbage");

        PkiException e = assertThrows(PkiException.class, () -> ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK));

        assertEquals(tmp.resolve("apiserver.key"), e.file());
        assertTrue(e.getMessage().contains("not a valid PEM private key"), e.getMessage());
    }

    @Test
    void caCertificateWithoutItsKeyIsAnError() throws Exception {
        ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        Files.delete(tmp.resolve("ca.key"));

        PkiException e = assertThrows(PkiException.class, () -> ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK));

        assertEquals(tmp.resolve("ca.key"), e.file());
        assertFalse(Files.exists(tmp.resolve("ca.key")), "no new CA key was invented");
    }

    @Test
    void caKeyOfAnotherCaIsAnError() throws Exception {
        ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        Path other = tmp.resolve("other");
        ClusterPki.loadOrCreate(other, spec("192.0.2.2"), CLOCK);
        Files.copy(other.resolve("ca.key"), tmp.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        PkiException e = assertThrows(PkiException.class, () -> ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK));
        assertTrue(e.getMessage().endsWith("ca.key: does not belong to ca.crt"), e.getMessage());
    }

    @Test
    void missingServiceAccountPublicKeyIsRewrittenFromThePrivateKey() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);
        Files.delete(tmp.resolve("sa.pub"));

        ClusterPki second = ClusterPki.loadOrCreate(tmp, spec("192.0.2.2"), CLOCK);

        PublicKey rewritten = Pem.parsePublicKey(Files.readAllBytes(tmp.resolve("sa.pub")));
        assertEquals(first.serviceAccountKeyPair().getPublic(), rewritten);
        assertEquals(first.serviceAccountKeyPair().getPrivate(), second.serviceAccountKeyPair().getPrivate());
        assertArrayEquals(first.serviceAccountPublicKeyPem(), Files.readAllBytes(tmp.resolve("sa.pub")));
    }

    @Test
    void hostAddressesIncludeLoopbackAndAreIpv4() {
        List<InetAddress> addresses = PkiSpec.hostIpv4Addresses();
        assertEquals(PkiSpec.LOOPBACK_IPV4, addresses.get(0));
        assertTrue(addresses.stream().allMatch(a -> a instanceof java.net.Inet4Address));
        assertEquals(addresses.size(), new HashSet<>(addresses).size());
        PkiSpec.firstNonLoopbackIpv4().ifPresent(a -> {
            assertFalse(a.isLoopbackAddress());
            assertTrue(addresses.contains(a));
        });
        PkiSpec here = PkiSpec.forThisHost("node-a");
        assertTrue(here.servingIpAddresses().containsAll(addresses));
    }

    private String read(String name) throws Exception {
        return Files.readString(tmp.resolve(name), StandardCharsets.US_ASCII);
    }

    private List<byte[]> readAll() throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (String name : List.of("ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "apiserver-kubelet-client.crt",
                "front-proxy-ca.crt", "front-proxy-client.crt", "sa.key", "sa.pub")) {
            contents.add(Files.readAllBytes(tmp.resolve(name)));
        }
        return contents;
    }

    static List<List<?>> sans(X509Certificate certificate) throws Exception {
        return new ArrayList<>(certificate.getSubjectAlternativeNames());
    }

    /** digitalSignature (0), keyEncipherment (2), keyCertSign (5), padded as the JDK reports them. */
    private static boolean[] keyUsage(boolean digitalSignature, boolean keyEncipherment, boolean keyCertSign) {
        return new boolean[] {digitalSignature, false, keyEncipherment, false, false, keyCertSign, false, false, false};
    }

    private static boolean[] keyUsageBits(X509Certificate certificate) {
        boolean[] bits = java.util.Arrays.copyOf(certificate.getKeyUsage(), 9);
        return bits;
    }
}
