package kubefake.certs;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Kubernetes' x509 client-certificate authenticator: a presented chain authenticates its holder when
 * the leaf is signed by the cluster CA, is within its validity, and may be used for client
 * authentication. Error messages are Go's crypto/x509 ones, which kube-apiserver logs.
 *
 * <p>As in kube-apiserver, the TLS layer only <em>requests</em> a client certificate
 * ({@link #requestingTrustManager()}); the verdict comes later from {@link #verify}, so a bad certificate
 * gets an HTTP 401 rather than a failed handshake.
 */
public final class ClientCertificateVerifier {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final CertificateAuthority ca;
    private final Clock clock;

    ClientCertificateVerifier(CertificateAuthority ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    /**
     * The identity of the holder of {@code chain} (leaf first, intermediates ignored).
     *
     * @throws CertificateException why the chain does not authenticate anyone
     */
    public ClientIdentity verify(List<X509Certificate> chain) throws CertificateException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateException("no client certificate presented");
        }
        X509Certificate leaf = chain.get(0);
        if (!ca.signed(leaf)) {
            throw new CertificateException("x509: certificate signed by unknown authority");
        }
        Instant now = clock.instant();
        checkValidity(leaf, now);
        checkValidity(ca.certificate(), now);
        checkClientAuthUsage(leaf);
        String user = SubjectNames.commonName(leaf);
        if (user.isEmpty()) {
            // kube-apiserver's x509 authenticator does not authenticate a certificate without CN.
            throw new CertificateException("certificate has no common name to use as user name");
        }
        return new ClientIdentity(user, SubjectNames.organizations(leaf));
    }

    /** {@link #verify} for a TLS session's peer certificates; empty when absent or not valid. */
    public Optional<ClientIdentity> authenticate(X509Certificate[] peerCertificates) {
        try {
            return Optional.of(verify(peerCertificates == null ? List.of() : List.of(peerCertificates)));
        } catch (CertificateException e) {
            return Optional.empty();
        }
    }

    /**
     * A server-side trust manager that asks clients for a certificate issued by the cluster CA (the CA
     * is announced as acceptable issuer, which is how kubectl picks its certificate) and accepts
     * whatever is presented: authentication is {@link #verify}'s job, after the handshake.
     * Use it with {@code setWantClientAuth(true)}.
     */
    public X509ExtendedTrustManager requestingTrustManager() {
        return new RequestingTrustManager(ca.certificate());
    }

    private static void checkValidity(X509Certificate certificate, Instant now) throws CertificateException {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            throw new CertificateException("x509: certificate has expired or is not yet valid: current time "
                    + rfc3339(now) + " is before " + rfc3339(notBefore));
        }
        if (now.isAfter(notAfter)) {
            throw new CertificateException("x509: certificate has expired or is not yet valid: current time "
                    + rfc3339(now) + " is after " + rfc3339(notAfter));
        }
    }

    /** As Go: no extended key usage at all allows any use; otherwise clientAuth (or any) must be listed. */
    private static void checkClientAuthUsage(X509Certificate leaf) throws CertificateException {
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException("x509: malformed extended key usage", e);
        }
        if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new CertificateException("x509: certificate specifies an incompatible key usage");
        }
    }

    private static String rfc3339(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static final class RequestingTrustManager extends X509ExtendedTrustManager {
        private final X509Certificate[] acceptedIssuers;

        RequestingTrustManager(X509Certificate ca) {
            this.acceptedIssuers = new X509Certificate[] {ca};
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // accepted: verified per request by ClientCertificateVerifier.verify
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // accepted: verified per request by ClientCertificateVerifier.verify
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // accepted: verified per request by ClientCertificateVerifier.verify
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only takes client certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("this trust manager only takes client certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("this trust manager only takes client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return acceptedIssuers.clone();
        }
    }
}
