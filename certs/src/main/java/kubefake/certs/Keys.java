package kubefake.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/**
 * Key pairs of the cluster. New keys are ECDSA P-256 (kubeadm's {@code encryptionAlgorithm: ECDSA-P256}):
 * an RSA-2048 key costs tens of milliseconds to generate, a P-256 key well under one.
 */
final class Keys {
    static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate ECDSA P-256 keys", e);
        }
    }

    /** The JCA signature algorithm a CA with this key signs with (SHA-256 based, as kubeadm). */
    static String signatureAlgorithm(PrivateKey signingKey) {
        return switch (signingKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported signing key algorithm " + signingKey.getAlgorithm());
        };
    }

    /** Whether {@code privateKey} (with its public half, when known) belongs to {@code publicKey}. */
    static boolean belongTogether(KeyPair stored, PublicKey publicKey) {
        PublicKey known = stored.getPublic();
        if (known instanceof ECPublicKey a && publicKey instanceof ECPublicKey b) {
            return a.getW().equals(b.getW()) && a.getParams().getOrder().equals(b.getParams().getOrder());
        }
        if (known instanceof RSAPublicKey a && publicKey instanceof RSAPublicKey b) {
            return a.getModulus().equals(b.getModulus()) && a.getPublicExponent().equals(b.getPublicExponent());
        }
        if (known != null) {
            return Arrays.equals(known.getEncoded(), publicKey.getEncoded());
        }
        return signsFor(stored.getPrivate(), publicKey);
    }

    /** Proves possession: a signature made with the private key verifies with the public one. */
    private static boolean signsFor(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] probe = "kubefake key pairing probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(signatureAlgorithm(privateKey));
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(privateKey));
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
