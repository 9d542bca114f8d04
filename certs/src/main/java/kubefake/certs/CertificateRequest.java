package kubefake.certs;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A PKCS #10 certificate signing request as a CertificateSigningRequest's {@code spec.request} carries it (PEM),
 * parsed and its signature checked as Go's {@code certificates.ParseCSR} and {@code CheckSignature} do.
 */
public final class CertificateRequest {
    /** The subject attributes in the order Go's pkix.Name writes them back (C, ST, L, street, postal code, O, OU, CN). */
    private static final List<ASN1ObjectIdentifier> GO_SUBJECT_ORDER = List.of(BCStyle.C, BCStyle.ST, BCStyle.L,
            BCStyle.STREET, BCStyle.POSTAL_CODE, BCStyle.O, BCStyle.OU, BCStyle.CN, BCStyle.SERIALNUMBER);

    private final X500Name subject;
    private final PublicKey publicKey;

    private CertificateRequest(X500Name subject, PublicKey publicKey) {
        this.subject = subject;
        this.publicKey = publicKey;
    }

    /** Why a request is refused: the message is Go's error text. */
    public static final class InvalidRequestException extends Exception {
        InvalidRequestException(String message) {
            super(message);
        }
    }

    /**
     * The first PEM block of {@code pem}, which must be a {@code CERTIFICATE REQUEST} whose signature its own key
     * verifies.
     */
    public static CertificateRequest parse(byte[] pem) throws InvalidRequestException {
        byte[] der = firstRequestBlock(pem);
        if (der == null) throw new InvalidRequestException("PEM block type must be CERTIFICATE REQUEST");
        JcaPKCS10CertificationRequest request;
        PublicKey key;
        try {
            request = new JcaPKCS10CertificationRequest(der);
            key = request.getPublicKey();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidRequestException("asn1: structure error: " + e.getMessage());
        }
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()))) {
                throw new InvalidRequestException(switch (key.getAlgorithm()) {
                    case "RSA" -> "crypto/rsa: verification error";
                    case "EC" -> "x509: ECDSA verification failure";
                    default -> "x509: Ed25519 verification failure";
                });
            }
        } catch (PKCSException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new InvalidRequestException("x509: cannot verify signature: " + e.getMessage());
        }
        return new CertificateRequest(request.getSubject(), key);
    }

    /** pem.Decode's first block if it is a certificate request, else null (Go looks at the first block only). */
    private static byte[] firstRequestBlock(byte[] pem) {
        try {
            Pem.Block block = Pem.firstBlock(pem);
            return block.type().equals("CERTIFICATE REQUEST") ? block.der() : null;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** The subject's common name, or "" when it has none. */
    public String commonName() {
        List<String> cn = values(BCStyle.CN);
        return cn.isEmpty() ? "" : cn.get(0);
    }

    /** The subject's organizations, in request order. */
    public List<String> organizations() {
        return values(BCStyle.O);
    }

    PublicKey publicKey() {
        return publicKey;
    }

    private List<String> values(ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : subject.getRDNs(type)) {
            values.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return values;
    }

    /** The subject as the signer writes it into the certificate: Go re-encodes it attribute by attribute in its order. */
    X500Name certificateSubject() {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (ASN1ObjectIdentifier type : GO_SUBJECT_ORDER) {
            for (RDN rdn : subject.getRDNs(type)) builder.addRDN(type, rdn.getFirst().getValue());
        }
        return builder.build();
    }
}
