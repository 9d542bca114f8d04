package kubefake.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Key formats a kubeadm directory may hold: kubefake's own, PKCS #1 RSA and PKCS #8. */
class PemTest {
    @Test
    void ecKeyRoundTripsThroughSec1WithItsPublicKey() throws Exception {
        KeyPair keys = Keys.generate();
        KeyPair parsed = Pem.parsePrivateKey(Pem.privateKey(keys.getPrivate(), keys.getPublic()));
        assertEquals(keys.getPrivate(), parsed.getPrivate());
        assertEquals(keys.getPublic(), parsed.getPublic());
    }

    @Test
    void rsaKeyIsWrittenAsPkcs1AndItsPublicKeyDerived() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024); // small: only the encoding is under test
        KeyPair keys = generator.generateKeyPair();

        byte[] pem = Pem.privateKey(keys.getPrivate(), keys.getPublic());

        assertTrue(new String(pem, StandardCharsets.US_ASCII).startsWith("-----BEGIN RSA PRIVATE KEY-----\n"));
        KeyPair parsed = Pem.parsePrivateKey(pem);
        assertEquals(keys.getPublic(), parsed.getPublic());
        assertTrue(Keys.belongTogether(parsed, keys.getPublic()));
    }

    @Test
    void pkcs8EcKeyWithoutPublicKeyStillProvesItsPairing() throws Exception {
        KeyPair keys = Keys.generate();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        KeyPair parsed = Pem.parsePrivateKey(pem.getBytes(StandardCharsets.US_ASCII));

        assertEquals(keys.getPrivate(), parsed.getPrivate());
        assertNull(parsed.getPublic(), "the JDK's PKCS #8 encoding carries no public key");
        assertTrue(Keys.belongTogether(parsed, keys.getPublic()));
        assertTrue(!Keys.belongTogether(parsed, Keys.generate().getPublic()));
    }

    @Test
    void refusesWhatIsNotAPlainPrivateKey() {
        byte[] certificateOnly = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
        GeneralSecurityException wrongType = assertThrows(GeneralSecurityException.class, () -> Pem.parsePrivateKey(certificateOnly));
        assertEquals("expected a private key but found a CERTIFICATE block", wrongType.getMessage());
        byte[] encrypted = ("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
                + "-----END EC PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
        assertThrows(GeneralSecurityException.class, () -> Pem.parsePrivateKey(encrypted));
        assertThrows(GeneralSecurityException.class, () -> Pem.parsePrivateKey("no pem here".getBytes(StandardCharsets.US_ASCII)));
        byte[] truncated = "-----BEGIN EC PRIVATE KEY-----\nMAMCAQ==\n-----END EC PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        assertThrows(GeneralSecurityException.class, () -> Pem.parsePrivateKey(truncated));
    }
}
