package kubefake.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

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
    private final byte[] subjectKeyId;

    CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
        this.subjectKeyId = keyIdentifier(certificate.getPublicKey());
    }

    /** A new self-signed CA: {@code CN=commonName}, also as its only DNS SAN, valid ten years from now. */
    static CertificateAuthority create(String commonName, Clock clock) {
        KeyPair keys = Keys.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = SubjectNames.build(commonName, List.of());
        try {
            var builder = new X509v3CertificateBuilder(name, serialNumber(), time(now.minus(BACKDATE)),
                    time(now.plus(TEN_YEARS)), name, SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(keyIdentifier(keys.getPublic())));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build CA certificate " + commonName, e);
        }
    }

    X509Certificate certificate() {
        return certificate;
    }

    PrivateKey key() {
        return key;
    }

    /**
     * Signs a leaf certificate for {@code subjectKey}. Like kubeadm, it is valid from the CA's own start
     * (so it is never "not yet valid" where the CA is valid) until {@code profile.validity()} from now.
     */
    X509Certificate issue(CertificateProfile profile, PublicKey subjectKey, Clock clock) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(profile.validity());
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant(); // a leaf never outlives its CA
        }
        X500Name issuer = SubjectNames.subject(certificate);
        try {
            var builder = new X509v3CertificateBuilder(issuer, serialNumber(), time(certificate.getNotBefore().toInstant()),
                    time(notAfter), SubjectNames.build(profile.commonName(), profile.organizations()),
                    SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.purpose().id));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(subjectKeyId));
            GeneralNames sans = subjectAlternativeNames(profile);
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            return sign(builder, key);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build certificate " + profile.commonName(), e);
        }
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

    private static GeneralNames subjectAlternativeNames(CertificateProfile profile) {
        List<GeneralName> names = new ArrayList<>();
        profile.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        for (InetAddress ip : profile.ipAddresses()) {
            names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
        }
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            byte[] der = builder.build(new JdkContentSigner(signingKey)).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    /**
     * An X.509 Time as Go encodes it: UTCTime before 2050, GeneralizedTime after. Built from its DER
     * bytes because Bouncy Castle's Date constructors go through SimpleDateFormat and its locale data,
     * which costs tens of milliseconds on a cold JVM.
     */
    static Time time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        boolean utcTime = utc.getYear() >= 1950 && utc.getYear() < 2050;
        // Plain digits, no String.format: its locale lookup is as slow as SimpleDateFormat's.
        String year = utcTime ? digits(utc.getYear() % 100, 2) : digits(utc.getYear(), 4);
        String text = year + digits(utc.getMonthValue(), 2) + digits(utc.getDayOfMonth(), 2)
                + digits(utc.getHour(), 2) + digits(utc.getMinute(), 2) + digits(utc.getSecond(), 2) + "Z";
        byte[] der = new byte[text.length() + 2];
        der[0] = (byte) (utcTime ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) text.length();
        System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, der, 2, text.length());
        return Time.getInstance(utcTime ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
    }

    private static String digits(int value, int width) {
        String text = Integer.toString(value);
        return "0".repeat(Math.max(0, width - text.length())) + text;
    }

    /** A positive random 63-bit serial number, as Go's kubeadm draws them. */
    private static BigInteger serialNumber() {
        return new BigInteger(63, Keys.RANDOM).max(BigInteger.ONE);
    }

    /** RFC 5280 method 1 (what Go computes): SHA-1 of the subjectPublicKey bits. */
    static byte[] keyIdentifier(PublicKey publicKey) {
        try {
            byte[] keyBits = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getBytes();
            return MessageDigest.getInstance("SHA-1").digest(keyBits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
