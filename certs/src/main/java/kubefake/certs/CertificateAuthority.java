package kubefake.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A certificate authority of the cluster ({@code ca} or {@code front-proxy-ca}) and the certificates it
 * signs, shaped like kubeadm's: same extensions, same order, same lifetimes.
 */
final class CertificateAuthority {
    /** kubeadm's CA lifetime. */
    static final Duration TEN_YEARS = Duration.ofDays(3650);
    /** kubeadm backdates a CA by five minutes so that clocks slightly behind still accept it. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final PrivateKey key;

    CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** A new self-signed CA: {@code CN=commonName}, also as its only DNS SAN, valid ten years from now. */
    static CertificateAuthority create(String commonName, Clock clock) {
        KeyPair keys = Keys.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate certificate = CertificateBuilder.selfSignedCa(commonName, keys, now.minus(BACKDATE), now.plus(TEN_YEARS));
        return new CertificateAuthority(certificate, keys.getPrivate());
    }

    X509Certificate certificate() {
        return certificate;
    }

    PrivateKey key() {
        return key;
    }

    /**
     * Signs a leaf certificate for {@code subjectKey}. Like kubeadm, it is valid from the CA's own start
     * (so it is never "not yet valid" where the CA is valid) until {@code profile.validity()} from now,
     * but never beyond the CA.
     */
    X509Certificate issue(CertificateProfile profile, PublicKey subjectKey, Clock clock) {
        Instant notAfter = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(profile.validity());
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        return CertificateBuilder.leaf(profile, subjectKey, certificate, key, certificate.getNotBefore().toInstant(), notAfter);
    }

    /** Whether this CA signed {@code leaf}. */
    boolean signed(X509Certificate leaf) {
        if (!leaf.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            leaf.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
