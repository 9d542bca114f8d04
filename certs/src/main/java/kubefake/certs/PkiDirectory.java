package kubefake.certs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of a kubeadm-style PKI directory and the decision, for each of them, to reuse what is on
 * disk or to create it. CAs are never replaced behind the user's back: a damaged or inconsistent CA is
 * an error. Leaf certificates are cheap and are reissued whenever they no longer fit (missing, expired,
 * signed by another CA, lacking a SAN the spec now needs); only a file that cannot be parsed is an error.
 */
final class PkiDirectory {
    /** A leaf certificate with its key, as stored in {@code <base>.crt} and {@code <base>.key}. */
    record Leaf(X509Certificate certificate, PrivateKey key) {
    }

    private final Path dir;
    private final Clock clock;
    private final List<String> changes = new ArrayList<>();

    PkiDirectory(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new PkiException(dir, "cannot create the PKI directory", e);
        }
    }

    /** What was created, reused or reissued, one line each, for the server's log. */
    List<String> changes() {
        return List.copyOf(changes);
    }

    CertificateAuthority loadOrCreateCa(String base, String commonName) {
        Path crt = dir.resolve(base + ".crt");
        Path key = dir.resolve(base + ".key");
        boolean hasCrt = Files.exists(crt);
        boolean hasKey = Files.exists(key);
        if (!hasCrt && !hasKey) {
            CertificateAuthority ca = CertificateAuthority.create(commonName, clock);
            write(base, ca.certificate(), ca.key());
            changes.add("created " + base + ".crt and " + base + ".key (CN=" + commonName + ")");
            return ca;
        }
        if (!hasCrt || !hasKey) {
            Path missing = hasCrt ? key : crt;
            throw new PkiException(missing, "is missing while " + (hasCrt ? crt : key).getFileName()
                    + " exists; restore it, or remove both files to create a new CA (every certificate it signed becomes invalid)");
        }
        X509Certificate certificate = readCertificate(crt);
        KeyPair keys = readKeyPair(key);
        if (!Keys.belongTogether(keys, certificate.getPublicKey())) {
            throw new PkiException(key, "does not belong to " + crt.getFileName());
        }
        if (certificate.getBasicConstraints() < 0) {
            throw new PkiException(crt, "is not a CA certificate (basic constraints CA:FALSE)");
        }
        if (clock.instant().isAfter(certificate.getNotAfter().toInstant())) {
            throw new PkiException(crt, "the CA certificate expired on " + certificate.getNotAfter().toInstant()
                    + "; remove the PKI directory to create a new cluster PKI");
        }
        changes.add("reused " + base + ".crt");
        return new CertificateAuthority(certificate, keys.getPrivate());
    }

    Leaf loadOrIssue(String base, CertificateAuthority ca, String caBase, CertificateProfile profile) {
        Path crt = dir.resolve(base + ".crt");
        Path key = dir.resolve(base + ".key");
        boolean hasCrt = Files.exists(crt);
        boolean hasKey = Files.exists(key);
        if (!hasCrt && !hasKey) {
            return issue(base, ca, profile, "created " + base + ".crt and " + base + ".key");
        }
        if (!hasCrt || !hasKey) {
            return issue(base, ca, profile, "reissued " + base + ".crt: " + (hasCrt ? key : crt).getFileName() + " was missing");
        }
        X509Certificate certificate = readCertificate(crt);
        KeyPair keys = readKeyPair(key);
        String problem = whyNotReusable(certificate, keys, ca, caBase, profile);
        if (problem != null) {
            return issue(base, ca, profile, "reissued " + base + ".crt: " + problem);
        }
        changes.add("reused " + base + ".crt");
        return new Leaf(certificate, keys.getPrivate());
    }

    KeyPair loadOrCreateKeyPair(String base) {
        Path privateFile = dir.resolve(base + ".key");
        Path publicFile = dir.resolve(base + ".pub");
        if (!Files.exists(privateFile)) {
            KeyPair keys = Keys.generate();
            PkiFiles.writeAtomically(privateFile, Pem.privateKey(keys.getPrivate(), keys.getPublic()), PkiFiles.SECRET);
            PkiFiles.writeAtomically(publicFile, Pem.publicKey(keys.getPublic()), PkiFiles.SECRET);
            changes.add("created " + base + ".key and " + base + ".pub");
            return keys;
        }
        KeyPair stored = readKeyPair(privateFile);
        PublicKey published = Files.exists(publicFile) ? readPublicKey(publicFile) : null;
        if (stored.getPublic() == null && published == null) {
            throw new PkiException(publicFile, "is missing and the public key cannot be derived from " + privateFile.getFileName());
        }
        if (stored.getPublic() == null) {
            if (!Keys.belongTogether(stored, published)) {
                throw new PkiException(publicFile, "does not belong to " + privateFile.getFileName());
            }
            changes.add("reused " + base + ".key");
            return new KeyPair(published, stored.getPrivate());
        }
        if (published == null || !Keys.belongTogether(stored, published)) {
            // sa.pub is only derived data: rewrite it from the private key that signs the tokens.
            PkiFiles.writeAtomically(publicFile, Pem.publicKey(stored.getPublic()), PkiFiles.SECRET);
            changes.add("rewrote " + base + ".pub from " + base + ".key");
        } else {
            changes.add("reused " + base + ".key");
        }
        return stored;
    }

    private Leaf issue(String base, CertificateAuthority ca, CertificateProfile profile, String change) {
        KeyPair keys = Keys.generate();
        X509Certificate certificate = ca.issue(profile, keys.getPublic(), clock);
        write(base, certificate, keys.getPrivate());
        changes.add(change);
        return new Leaf(certificate, keys.getPrivate());
    }

    /** The reason the stored certificate cannot serve {@code profile} any more, or null when it can. */
    private String whyNotReusable(X509Certificate certificate, KeyPair keys, CertificateAuthority ca, String caBase,
                                  CertificateProfile profile) {
        if (!Keys.belongTogether(keys, certificate.getPublicKey())) {
            return "its key file does not belong to it";
        }
        if (!ca.signed(certificate)) {
            return "not signed by the current " + caBase + ".crt";
        }
        Instant now = clock.instant();
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return "expired on " + certificate.getNotAfter().toInstant();
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return "not valid before " + certificate.getNotBefore().toInstant();
        }
        if (!SubjectNames.commonName(certificate).equals(profile.commonName())
                || !SubjectNames.organizations(certificate).equals(profile.organizations())) {
            return "subject is " + SubjectNames.describe(SubjectNames.commonName(certificate),
                    SubjectNames.organizations(certificate)) + ", expected "
                    + SubjectNames.describe(profile.commonName(), profile.organizations());
        }
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            if (usages == null || !usages.contains(profile.purpose().oid)) {
                return "lacks extended key usage " + profile.purpose();
            }
            Set<String> dnsNames = new HashSet<>();
            Set<InetAddress> ips = new HashSet<>();
            readSubjectAlternativeNames(certificate, dnsNames, ips);
            for (String dns : profile.dnsNames()) {
                if (!dnsNames.contains(dns)) {
                    return "lacks DNS SAN " + dns;
                }
            }
            for (InetAddress ip : profile.ipAddresses()) {
                if (!ips.contains(ip)) {
                    return "lacks IP SAN " + ip.getHostAddress();
                }
            }
        } catch (CertificateParsingException e) {
            return "its extensions cannot be parsed (" + e.getMessage() + ")";
        }
        return null;
    }

    static void readSubjectAlternativeNames(X509Certificate certificate, Set<String> dnsNames, Set<InetAddress> ips)
            throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return;
        }
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            if (type == 2) {
                dnsNames.add((String) name.get(1));
            } else if (type == 7) {
                try {
                    ips.add(InetAddress.getByName((String) name.get(1))); // an IP literal: no lookup happens
                } catch (UnknownHostException e) {
                    throw new CertificateParsingException("bad IP SAN " + name.get(1));
                }
            }
        }
    }

    private void write(String base, X509Certificate certificate, PrivateKey key) {
        PkiFiles.writeAtomically(dir.resolve(base + ".key"), Pem.privateKey(key, certificate.getPublicKey()), PkiFiles.SECRET);
        PkiFiles.writeAtomically(dir.resolve(base + ".crt"), Pem.certificate(certificate), PkiFiles.PUBLIC);
    }

    private static X509Certificate readCertificate(Path file) {
        byte[] pem = PkiFiles.read(file);
        try {
            return Pem.parseCertificates(pem).get(0);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException(file, "is not a valid PEM certificate", e);
        }
    }

    private static KeyPair readKeyPair(Path file) {
        byte[] pem = PkiFiles.read(file);
        try {
            return Pem.parsePrivateKey(pem);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException(file, "is not a valid PEM private key", e);
        }
    }

    private static PublicKey readPublicKey(Path file) {
        byte[] pem = PkiFiles.read(file);
        try {
            return Pem.parsePublicKey(pem);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException(file, "is not a valid PEM public key", e);
        }
    }
}
