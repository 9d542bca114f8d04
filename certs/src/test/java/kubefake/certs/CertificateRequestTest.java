package kubefake.certs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PKCS #10 requests as openssl writes them, and the refusals Go's ParseCSR and CheckSignature give. */
class CertificateRequestTest {

    @Test
    void opensslRequestsParseWithTheirSubject() throws Exception {
        CertificateRequest request = CertificateRequest.parse(openssl("/CN=myuser/O=dev/O=ops"));
        assertEquals("myuser", request.commonName());
        assertEquals(List.of("dev", "ops"), request.organizations());
    }

    @Test
    void otherPemBlocksAndGarbageAreRefused() {
        var notPem = assertThrows(CertificateRequest.InvalidRequestException.class,
                () -> CertificateRequest.parse("hi".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("PEM block type must be CERTIFICATE REQUEST", notPem.getMessage());
        var certificate = assertThrows(CertificateRequest.InvalidRequestException.class, () -> CertificateRequest.parse(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("PEM block type must be CERTIFICATE REQUEST", certificate.getMessage());
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        String pem = new String(openssl("/CN=myuser/O=dev"), StandardCharsets.US_ASCII);
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        der[der.length - 1] ^= 1; // the last byte of the signature
        byte[] tampered = ("-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n").getBytes(StandardCharsets.US_ASCII);
        var e = assertThrows(CertificateRequest.InvalidRequestException.class, () -> CertificateRequest.parse(tampered));
        assertEquals("crypto/rsa: verification error", e.getMessage());
    }

    private static byte[] openssl(String subject) throws Exception {
        Path dir = Files.createTempDirectory("csr");
        Path key = dir.resolve("k.key");
        Path csr = dir.resolve("k.csr");
        run("openssl", "genrsa", "-out", key.toString(), "2048");
        run("openssl", "req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", subject);
        return Files.readAllBytes(csr);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
