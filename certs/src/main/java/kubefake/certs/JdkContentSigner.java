package kubefake.certs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;

/**
 * Signs a TBSCertificate with the JDK's {@link Signature}. Used instead of Bouncy Castle's
 * JcaContentSignerBuilder, whose algorithm tables take longer to initialise than a whole certificate
 * takes to sign, on a cold start.
 */
final class JdkContentSigner implements ContentSigner {
    private final PrivateKey key;
    private final String algorithm;
    private final AlgorithmIdentifier identifier;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream(1024);

    JdkContentSigner(PrivateKey key) {
        this.key = key;
        this.algorithm = Keys.signatureAlgorithm(key);
        this.identifier = switch (algorithm) {
            case "SHA256withECDSA" -> new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            case "SHA256withRSA" -> new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
            case "Ed25519" -> new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
            default -> throw new IllegalArgumentException("unsupported signature algorithm " + algorithm);
        };
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return identifier;
    }

    @Override
    public OutputStream getOutputStream() {
        return content;
    }

    @Override
    public byte[] getSignature() {
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key, Keys.RANDOM);
            signature.update(content.toByteArray());
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + algorithm, e);
        }
    }
}
