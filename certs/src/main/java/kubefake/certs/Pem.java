package kubefake.certs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * PEM in the formats kubeadm (Go's crypto/x509) writes: {@code CERTIFICATE}, {@code EC PRIVATE KEY}
 * (SEC 1, with curve and public key), {@code RSA PRIVATE KEY} (PKCS #1) and {@code PUBLIC KEY} (PKIX).
 * Reading also accepts PKCS #8 {@code PRIVATE KEY}, so a real kubeadm directory (RSA or ECDSA) loads.
 * Only JDK classes are involved, which keeps a restart fast.
 */
final class Pem {
    private static final Base64.Encoder BASE64_LINES = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    /** A PEM block found in a file: its type ({@code CERTIFICATE}, ...) and decoded bytes. */
    record Block(String type, byte[] der) {
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
        Der.Element pkcs8 = Der.read(privateKey.getEncoded());
        if (privateKey instanceof ECPrivateKey ec) {
            Der.Element spki = Der.read(publicKey.getEncoded());
            byte[] curve = spki.child(0).child(1).encoded();
            int size = (ec.getParams().getOrder().bitLength() + 7) / 8;
            byte[] sec1 = Der.encode(Der.SEQUENCE,
                    Der.integer(1),
                    Der.encode(Der.OCTET_STRING, unsigned(ec.getS().toByteArray(), size)),
                    Der.encode(Der.CONTEXT_0, curve),
                    Der.encode(Der.CONTEXT_1, spki.child(1).encoded()));
            return encode("EC PRIVATE KEY", sec1);
        }
        if (Arrays.equals(pkcs8.child(1).child(0).encoded(), Der.OID_RSA_ENCRYPTION)) {
            return encode("RSA PRIVATE KEY", pkcs8.child(2).value());
        }
        return encode("PRIVATE KEY", privateKey.getEncoded());
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
     * The first private key of a PEM file, with its public half when the encoding carries it (SEC 1
     * and PKCS #1 as Go writes them always do); the public key is {@code null} otherwise.
     */
    static KeyPair parsePrivateKey(byte[] pem) throws GeneralSecurityException {
        Block block = firstBlock(pem);
        try {
            return switch (block.type()) {
                case "EC PRIVATE KEY" -> ecKeyPair(Der.read(block.der()), null);
                case "RSA PRIVATE KEY" -> rsaKeyPair(Der.encode(Der.SEQUENCE, Der.integer(0),
                        Der.encode(Der.SEQUENCE, Der.OID_RSA_ENCRYPTION, Der.encode(Der.NULL)),
                        Der.encode(Der.OCTET_STRING, block.der())));
                case "PRIVATE KEY" -> pkcs8KeyPair(block.der());
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException("encrypted private keys are not supported");
                default -> throw new GeneralSecurityException("expected a private key but found a " + block.type() + " block");
            };
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("malformed " + block.type() + ": " + e.getMessage(), e);
        }
    }

    static PublicKey parsePublicKey(byte[] pem) throws GeneralSecurityException {
        Block block = firstBlock(pem);
        if (!block.type().equals("PUBLIC KEY")) {
            throw new GeneralSecurityException("expected a PUBLIC KEY block but found a " + block.type() + " block");
        }
        try {
            return publicKey(block.der());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("malformed PUBLIC KEY: " + e.getMessage(), e);
        }
    }

    /** The first {@code -----BEGIN ...-----} block; encrypted (header-carrying) blocks are refused. */
    static Block firstBlock(byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0) {
            throw new GeneralSecurityException("no PEM block found");
        }
        int typeEnd = text.indexOf("-----", begin + 11);
        if (typeEnd < 0) {
            throw new GeneralSecurityException("malformed PEM header");
        }
        String type = text.substring(begin + 11, typeEnd);
        String endMarker = "-----END " + type + "-----";
        int end = text.indexOf(endMarker, typeEnd);
        if (end < 0) {
            throw new GeneralSecurityException("no " + endMarker + " line");
        }
        String body = text.substring(typeEnd + 5, end);
        if (body.contains(":")) {
            throw new GeneralSecurityException("PEM headers (encrypted keys) are not supported");
        }
        try {
            return new Block(type, Base64.getMimeDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("invalid base64 in " + type + " block", e);
        }
    }

    /** A SEC 1 ECPrivateKey; {@code curve} is the named-curve TLV when the enclosing PKCS #8 names it. */
    private static KeyPair ecKeyPair(Der.Element sec1, byte[] curve) throws GeneralSecurityException {
        byte[] parameters = curve;
        byte[] publicBits = null;
        for (Der.Element field : sec1.children()) {
            if (field.tag() == Der.CONTEXT_0) {
                parameters = field.child(0).encoded();
            } else if (field.tag() == Der.CONTEXT_1) {
                publicBits = field.child(0).encoded();
            }
        }
        if (parameters == null) {
            throw new GeneralSecurityException("EC private key does not name its curve");
        }
        byte[] algorithm = Der.encode(Der.SEQUENCE, Der.OID_EC_PUBLIC_KEY, parameters);
        KeyFactory factory = KeyFactory.getInstance("EC");
        var parsed = (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(
                Der.encode(Der.SEQUENCE, Der.integer(0), algorithm, Der.encode(Der.OCTET_STRING, sec1.encoded()))));
        // Re-derive from the scalar so a loaded key has the same encoding (and equals) as a generated one.
        PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(parsed.getS(), parsed.getParams()));
        PublicKey publicKey = publicBits == null ? null
                : factory.generatePublic(new X509EncodedKeySpec(Der.encode(Der.SEQUENCE, algorithm, publicBits)));
        return new KeyPair(publicKey, privateKey);
    }

    private static KeyPair rsaKeyPair(byte[] pkcs8) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("RSA");
        PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        PublicKey publicKey = privateKey instanceof RSAPrivateCrtKey crt
                ? factory.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()))
                : null;
        return new KeyPair(publicKey, privateKey);
    }

    private static KeyPair pkcs8KeyPair(byte[] der) throws GeneralSecurityException {
        Der.Element info = Der.read(der);
        Der.Element algorithm = info.child(1);
        byte[] oid = algorithm.child(0).encoded();
        if (Arrays.equals(oid, Der.OID_EC_PUBLIC_KEY)) {
            return ecKeyPair(Der.read(info.child(2).value()), algorithm.child(1).encoded());
        }
        if (Arrays.equals(oid, Der.OID_RSA_ENCRYPTION)) {
            return rsaKeyPair(der);
        }
        if (Arrays.equals(oid, Der.OID_ED25519)) {
            return new KeyPair(null, KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)));
        }
        throw new GeneralSecurityException("unsupported private key algorithm");
    }

    private static PublicKey publicKey(byte[] spki) throws GeneralSecurityException {
        byte[] oid = Der.read(spki).child(0).child(0).encoded();
        String algorithm;
        if (Arrays.equals(oid, Der.OID_EC_PUBLIC_KEY)) {
            algorithm = "EC";
        } else if (Arrays.equals(oid, Der.OID_RSA_ENCRYPTION)) {
            algorithm = "RSA";
        } else if (Arrays.equals(oid, Der.OID_ED25519)) {
            algorithm = "Ed25519";
        } else {
            throw new GeneralSecurityException("unsupported public key algorithm");
        }
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
    }

    /** {@code value} as exactly {@code size} big-endian bytes (BigInteger adds a sign byte or drops leading zeros). */
    private static byte[] unsigned(byte[] value, int size) {
        byte[] out = new byte[size];
        int copy = Math.min(value.length, size);
        System.arraycopy(value, value.length - copy, out, size - copy, copy);
        return out;
    }

    private static byte[] encode(String type, byte[] der) {
        String body = BASE64_LINES.encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
