package kubefake.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM in the formats kubeadm (Go's crypto/x509) writes: {@code CERTIFICATE}, {@code EC PRIVATE KEY}
 * (SEC 1, with curve and public key), {@code RSA PRIVATE KEY} (PKCS #1) and {@code PUBLIC KEY} (PKIX).
 * Reading also accepts PKCS #8 {@code PRIVATE KEY}, so a real kubeadm directory (RSA or ECDSA) loads.
 * Key objects come from the JDK's own providers; Bouncy Castle only does the ASN.1.
 */
final class Pem {
    private Pem() {
    }

    static byte[] certificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** The private key as kubeadm writes it; {@code publicKey} completes the SEC 1 structure of an EC key. */
    static byte[] privateKey(PrivateKey privateKey, PublicKey publicKey) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
            if (privateKey instanceof ECPrivateKey ec) {
                SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                        spki.getPublicKeyData(), spki.getAlgorithm().getParameters());
                return encode("EC PRIVATE KEY", sec1.getEncoded(ASN1Encoding.DER));
            }
            if (info.getPrivateKeyAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return encode("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded(ASN1Encoding.DER));
            }
            return encode("PRIVATE KEY", info.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + privateKey.getAlgorithm() + " private key", e);
        }
    }

    static byte[] publicKey(PublicKey publicKey) {
        return encode("PUBLIC KEY", publicKey.getEncoded());
    }

    /** All certificates of a PEM bundle, in order; at least one. */
    static List<X509Certificate> parseCertificates(byte[] pem) throws GeneralSecurityException {
        var factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = factory.generateCertificates(new ByteArrayInputStream(pem)).stream()
                .map(X509Certificate.class::cast)
                .toList();
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block found");
        }
        return certificates;
    }

    /**
     * The first private key of a PEM file, with its public half when the encoding carries it
     * (SEC 1 and PKCS #1 always do as Go writes them); the public key is {@code null} otherwise.
     */
    static KeyPair parsePrivateKey(byte[] pem) throws IOException, GeneralSecurityException {
        Object parsed = readFirstObject(pem);
        if (parsed instanceof PEMKeyPair pair) {
            PrivateKey privateKey = toPrivateKey(pair.getPrivateKeyInfo());
            PublicKey publicKey = pair.getPublicKeyInfo() == null
                    ? derivePublicKey(pair.getPrivateKeyInfo())
                    : toPublicKey(pair.getPublicKeyInfo());
            return new KeyPair(publicKey, privateKey);
        }
        if (parsed instanceof PrivateKeyInfo info) {
            return new KeyPair(derivePublicKey(info), toPrivateKey(info));
        }
        if (parsed == null) {
            throw new GeneralSecurityException("no PEM private key block found");
        }
        throw new GeneralSecurityException("expected an unencrypted private key but found "
                + parsed.getClass().getSimpleName());
    }

    static PublicKey parsePublicKey(byte[] pem) throws IOException, GeneralSecurityException {
        Object parsed = readFirstObject(pem);
        if (parsed instanceof SubjectPublicKeyInfo info) {
            return toPublicKey(info);
        }
        throw new GeneralSecurityException(parsed == null
                ? "no PEM PUBLIC KEY block found"
                : "expected a PUBLIC KEY block but found " + parsed.getClass().getSimpleName());
    }

    private static Object readFirstObject(byte[] pem) throws IOException {
        try (var parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            return parser.readObject();
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info) throws IOException, GeneralSecurityException {
        KeyFactory factory = keyFactory(info.getPrivateKeyAlgorithm().getAlgorithm());
        PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded(ASN1Encoding.DER)));
        if (key instanceof ECPrivateKey ec) {
            // Re-derive from the scalar so a loaded key has the same encoding (and equals) as a generated one.
            return factory.generatePrivate(new ECPrivateKeySpec(ec.getS(), ec.getParams()));
        }
        return key;
    }

    private static PublicKey toPublicKey(SubjectPublicKeyInfo info) throws IOException, GeneralSecurityException {
        return keyFactory(info.getAlgorithm().getAlgorithm())
                .generatePublic(new X509EncodedKeySpec(info.getEncoded(ASN1Encoding.DER)));
    }

    /** The public key embedded in a PKCS #8 structure (RSA modulus, SEC 1 public point), or null. */
    private static PublicKey derivePublicKey(PrivateKeyInfo info) throws IOException, GeneralSecurityException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            RSAPrivateKey rsa = RSAPrivateKey.getInstance(info.parsePrivateKey());
            return keyFactory(algorithm).generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ASN1BitString point = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getPublicKey();
            return point == null ? null : toPublicKey(new SubjectPublicKeyInfo(info.getPrivateKeyAlgorithm(), point));
        }
        if (info.hasPublicKey()) {
            return toPublicKey(new SubjectPublicKeyInfo(info.getPrivateKeyAlgorithm(), info.getPublicKeyData()));
        }
        return null;
    }

    private static KeyFactory keyFactory(ASN1ObjectIdentifier algorithm) throws GeneralSecurityException {
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return KeyFactory.getInstance("RSA");
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return KeyFactory.getInstance("EC");
        }
        if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return KeyFactory.getInstance("Ed25519");
        }
        throw new GeneralSecurityException("unsupported key algorithm " + algorithm.getId());
    }

    private static byte[] encode(String type, byte[] der) {
        var text = new StringWriter();
        try (var writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
