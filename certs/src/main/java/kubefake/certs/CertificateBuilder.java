package kubefake.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Builds X.509 certificates with Bouncy Castle, extension for extension as kubeadm (Go) does:
 * key usage (critical), extended key usage, basic constraints (critical), key identifiers, SANs.
 * The only class that needs Bouncy Castle, and only when something is issued.
 */
final class CertificateBuilder {
    private CertificateBuilder() {
    }

    static X509Certificate selfSignedCa(String commonName, KeyPair keys, Instant notBefore, Instant notAfter) {
        X500Name name = subject(commonName, List.of());
        try {
            var builder = new X509v3CertificateBuilder(name, serialNumber(), time(notBefore), time(notAfter), name,
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(keyIdentifier(keys.getPublic())));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
            return sign(builder, keys.getPrivate());
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build CA certificate " + commonName, e);
        }
    }

    static X509Certificate leaf(CertificateProfile profile, PublicKey subjectKey, X509Certificate ca, PrivateKey caKey,
                                Instant notBefore, Instant notAfter) {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        try {
            var builder = new X509v3CertificateBuilder(issuer, serialNumber(), time(notBefore), time(notAfter),
                    subject(profile.commonName(), profile.organizations()),
                    SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(profile.purpose().oid))));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(keyIdentifier(ca.getPublicKey())));
            GeneralNames sans = subjectAlternativeNames(profile);
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            return sign(builder, caKey);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build certificate " + profile.commonName(), e);
        }
    }

    /**
     * A certificate for a signing request, as kube-controller-manager's signer makes it: the request's subject and
     * key, the key usages and extended key usages asked for (Go's order of extensions), CA:FALSE, the CA's key id.
     */
    static X509Certificate fromRequest(CertificateRequest request, int keyUsage, List<String> extendedKeyUsageOids,
                                       X509Certificate ca, PrivateKey caKey, Instant notBefore, Instant notAfter) {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        try {
            var builder = new X509v3CertificateBuilder(issuer, new BigInteger(128, Keys.RANDOM), time(notBefore), time(notAfter),
                    request.certificateSubject(), SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded()));
            if (keyUsage != 0) builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (!extendedKeyUsageOids.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsageOids.stream()
                        .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid))).toArray(KeyPurposeId[]::new)));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(keyIdentifier(ca.getPublicKey())));
            return sign(builder, caKey);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build certificate for " + request.commonName(), e);
        }
    }

    /** One RDN per value, O values first and CN last (openssl shows {@code O = kubeadm:cluster-admins, CN = kubernetes-admin}). */
    static X500Name subject(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> builder.addRDN(BCStyle.O, o));
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
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
        byte[] der = Der.encode(utcTime ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME,
                text.getBytes(StandardCharsets.US_ASCII));
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
            byte[] bitString = Der.read(publicKey.getEncoded()).child(1).value();
            return MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOfRange(bitString, 1, bitString.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
