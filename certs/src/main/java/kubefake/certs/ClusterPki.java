package kubefake.certs;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The cluster's PKI, laid out like kubeadm's {@code /etc/kubernetes/pki}:
 * <pre>
 * ca.crt, ca.key                                   cluster CA, CN=kubernetes, 10 years
 * apiserver.crt, apiserver.key                     API serving certificate, CN=kube-apiserver, every SAN of the spec
 * apiserver-kubelet-client.crt, .key               CN=kube-apiserver-kubelet-client (client of the kubelets)
 * front-proxy-ca.crt, front-proxy-ca.key           CN=front-proxy-ca, 10 years
 * front-proxy-client.crt, front-proxy-client.key   CN=front-proxy-client, signed by front-proxy-ca
 * sa.key, sa.pub                                   service-account token signing key pair
 * </pre>
 * Keys are ECDSA P-256, certificates SHA256withECDSA. Private keys are mode 0600, certificates 0644.
 * On restart the files are reused; see {@link #loadOrCreate(Path, PkiSpec, Clock)} for what gets reissued.
 */
public final class ClusterPki {
    public static final String CA = "ca";
    public static final String APISERVER = "apiserver";
    public static final String APISERVER_KUBELET_CLIENT = "apiserver-kubelet-client";
    public static final String FRONT_PROXY_CA = "front-proxy-ca";
    public static final String FRONT_PROXY_CLIENT = "front-proxy-client";
    public static final String SERVICE_ACCOUNT = "sa";

    /** The key alias of {@link #servingKeyStore(char[])}. */
    public static final String SERVING_ALIAS = "apiserver";

    private final Path directory;
    private final PkiSpec spec;
    private final Clock clock;
    private final CertificateAuthority ca;
    private final CertificateAuthority frontProxyCa;
    private final PkiDirectory.Leaf serving;
    private final ClientCertificate kubeletClient;
    private final ClientCertificate frontProxyClient;
    private final KeyPair serviceAccount;
    private final List<String> changes;

    private ClusterPki(Path directory, PkiSpec spec, Clock clock) {
        this.directory = directory;
        this.spec = spec;
        this.clock = clock;
        PkiDirectory files = new PkiDirectory(directory, clock);
        this.ca = files.loadOrCreateCa(CA, "kubernetes");
        this.serving = files.loadOrIssue(APISERVER, ca, CA,
                CertificateProfile.server("kube-apiserver", spec.servingDnsNames(), spec.servingIpAddresses()));
        // kubeadm 1.33 gives this certificate no O; RBAC binds the user kube-apiserver-kubelet-client instead.
        this.kubeletClient = asClient(files.loadOrIssue(APISERVER_KUBELET_CLIENT, ca, CA,
                CertificateProfile.client("kube-apiserver-kubelet-client", List.of(), CertificateProfile.ONE_YEAR)));
        this.frontProxyCa = files.loadOrCreateCa(FRONT_PROXY_CA, "front-proxy-ca");
        this.frontProxyClient = asClient(files.loadOrIssue(FRONT_PROXY_CLIENT, frontProxyCa, FRONT_PROXY_CA,
                CertificateProfile.client("front-proxy-client", List.of(), CertificateProfile.ONE_YEAR)));
        this.serviceAccount = files.loadOrCreateKeyPair(SERVICE_ACCOUNT);
        this.changes = files.changes();
    }

    /** {@link #loadOrCreate(Path, PkiSpec, Clock)} on the system clock. */
    public static ClusterPki loadOrCreate(Path pkiDir, PkiSpec spec) {
        return loadOrCreate(pkiDir, spec, Clock.systemUTC());
    }

    /**
     * Loads the PKI under {@code pkiDir}, creating the directory and whatever is missing.
     * <ul>
     *   <li>A CA found on disk is always reused; if it is unreadable, inconsistent (key not matching) or
     *       expired, a {@link PkiException} names the file: a CA is never replaced silently.</li>
     *   <li>A leaf certificate is reused while it is valid, signed by its CA and covers what the spec
     *       requires; otherwise it alone is reissued (e.g. a new advertise address reissues apiserver.crt).</li>
     *   <li>A file that exists but cannot be parsed is a {@link PkiException}.</li>
     * </ul>
     * {@link #changes()} says what happened.
     */
    public static ClusterPki loadOrCreate(Path pkiDir, PkiSpec spec, Clock clock) {
        Objects.requireNonNull(pkiDir, "pkiDir");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(clock, "clock");
        return new ClusterPki(pkiDir, spec, clock);
    }

    public Path directory() {
        return directory;
    }

    public PkiSpec spec() {
        return spec;
    }

    /** What {@code loadOrCreate} created, reused or reissued, one line per file pair (worth logging). */
    public List<String> changes() {
        return changes;
    }

    // --- cluster CA ------------------------------------------------------------------------------

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    public PrivateKey caKey() {
        return ca.key();
    }

    /** The content of ca.crt: a kubeconfig's {@code certificate-authority-data}. */
    public byte[] caCertificatePem() {
        return Pem.certificate(ca.certificate());
    }

    public byte[] caKeyPem() {
        return Pem.privateKey(ca.key(), ca.certificate().getPublicKey());
    }

    /** A trust store holding the cluster CA (alias {@code kubernetes-ca}), for clients of the API server. */
    public KeyStore caTrustStore() {
        return KeyStores.trusting("kubernetes-ca", ca.certificate());
    }

    // --- API serving certificate -----------------------------------------------------------------

    public X509Certificate servingCertificate() {
        return serving.certificate();
    }

    public PrivateKey servingKey() {
        return serving.key();
    }

    /** What the server presents: the serving certificate followed by the cluster CA. */
    public List<X509Certificate> servingCertificateChain() {
        return List.of(serving.certificate(), ca.certificate());
    }

    public byte[] servingCertificatePem() {
        return Pem.certificate(serving.certificate());
    }

    public byte[] servingKeyPem() {
        return Pem.privateKey(serving.key(), serving.certificate().getPublicKey());
    }

    /** A PKCS #12 key store with the serving key and chain under alias {@value #SERVING_ALIAS}, for a {@link KeyManagerFactory}. */
    public KeyStore servingKeyStore(char[] password) {
        return KeyStores.withKey(SERVING_ALIAS, serving.key(), password,
                servingCertificateChain().toArray(X509Certificate[]::new));
    }

    /**
     * A ready server-side TLS context: presents the serving chain and requests (does not require) a
     * client certificate from the cluster CA; call {@code setWantClientAuth(true)} on the engine or
     * socket, then authenticate the peer's chain with {@link #clientCertificateVerifier()}.
     */
    public SSLContext serverSslContext() {
        char[] password = new char[0];
        return sslContext(keyManagers(servingKeyStore(password), password),
                new TrustManager[] {clientCertificateVerifier().requestingTrustManager()});
    }

    /** A client-side TLS context that trusts only the cluster CA and presents {@code client} (may be null). */
    public SSLContext clientSslContext(ClientCertificate client) {
        char[] password = new char[0];
        KeyManager[] keyManagers = client == null ? null : keyManagers(client.keyStore(password, ca.certificate()), password);
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caTrustStore());
            return sslContext(keyManagers, trust.getTrustManagers());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager for the cluster CA", e);
        }
    }

    // --- other kubeadm material ------------------------------------------------------------------

    /** apiserver-kubelet-client: the API server's identity towards kubelets. */
    public ClientCertificate apiserverKubeletClient() {
        return kubeletClient;
    }

    public X509Certificate frontProxyCaCertificate() {
        return frontProxyCa.certificate();
    }

    public ClientCertificate frontProxyClient() {
        return frontProxyClient;
    }

    /** The service-account token signing key pair (sa.key, sa.pub); ECDSA P-256, so tokens are ES256. */
    public KeyPair serviceAccountKeyPair() {
        return serviceAccount;
    }

    public byte[] serviceAccountPrivateKeyPem() {
        return Pem.privateKey(serviceAccount.getPrivate(), serviceAccount.getPublic());
    }

    public byte[] serviceAccountPublicKeyPem() {
        return Pem.publicKey(serviceAccount.getPublic());
    }

    // --- client certificates ---------------------------------------------------------------------

    /**
     * A new client certificate signed by the cluster CA, with a fresh ECDSA P-256 key: subject
     * {@code O=<each organization>, CN=<commonName>}, clientAuth, valid {@code validity} from now
     * (never beyond the CA). Nothing is written to disk.
     */
    public ClientCertificate issueClientCertificate(String commonName, List<String> organizations, Duration validity) {
        Objects.requireNonNull(commonName, "commonName");
        if (commonName.isEmpty()) {
            throw new IllegalArgumentException("commonName (the user name) must not be empty");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        KeyPair keys = Keys.generate();
        X509Certificate certificate = ca.issue(CertificateProfile.client(commonName, organizations, validity),
                keys.getPublic(), clock);
        return new ClientCertificate(certificate, keys.getPrivate());
    }

    /**
     * Issues a client certificate (CN = user, O = groups) signed by the CA of the PKI in {@code pkiDir}, reading only
     * {@code ca.crt} and {@code ca.key} and writing nothing: what {@code kubefake kubeconfig user} does beside a
     * running cluster.
     */
    public static ClientCertificate issueClientCertificate(Path pkiDir, String commonName, List<String> organizations,
                                                           Duration validity) {
        if (!java.nio.file.Files.exists(pkiDir.resolve(CA + ".crt")) || !java.nio.file.Files.exists(pkiDir.resolve(CA + ".key"))) {
            throw new PkiException(pkiDir, "no cluster CA (ca.crt and ca.key): run kubefake up first");
        }
        Clock clock = Clock.systemUTC();
        CertificateAuthority ca = new PkiDirectory(pkiDir, clock).loadOrCreateCa(CA, "kubernetes");
        KeyPair keys = Keys.generate();
        return new ClientCertificate(ca.issue(CertificateProfile.client(commonName, organizations, validity), keys.getPublic(), clock),
                keys.getPrivate());
    }

    /**
     * Signs a CertificateSigningRequest's request with the cluster CA, as kube-controller-manager's signers do
     * ({@code --cluster-signing-cert-file} is the CA): valid from five minutes before now, for {@code ttl} (less the
     * five minutes once the ttl is 8 h or more), never beyond the CA. Returns the certificate as PEM.
     *
     * @param usages the request's {@code spec.usages}
     */
    public byte[] signRequest(CertificateRequest request, List<String> usages, Duration ttl) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant notAfter = now.plus(ttl.compareTo(SHORT_TTL) < 0 ? ttl : ttl.minus(SIGNER_BACKDATE));
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) notAfter = caNotAfter;
        X509Certificate certificate = CertificateBuilder.fromRequest(request, KeyUsages.keyUsageBits(usages),
                KeyUsages.extendedOids(usages), ca.certificate(), ca.key(), now.minus(SIGNER_BACKDATE), notAfter);
        return Pem.certificate(certificate);
    }

    /** The signer's backdate, and the lifetime under which it is not taken off the end (authority.PermissiveSigningPolicy). */
    private static final Duration SIGNER_BACKDATE = Duration.ofMinutes(5);
    private static final Duration SHORT_TTL = Duration.ofHours(8);

    /** Authenticates client certificate chains against the cluster CA on this PKI's clock. */
    public ClientCertificateVerifier clientCertificateVerifier() {
        return new ClientCertificateVerifier(ca, clock);
    }

    /** The same, on another clock (tests, simulated time). */
    public ClientCertificateVerifier clientCertificateVerifier(Clock at) {
        return new ClientCertificateVerifier(ca, at);
    }

    private static ClientCertificate asClient(PkiDirectory.Leaf leaf) {
        return new ClientCertificate(leaf.certificate(), leaf.key());
    }

    private static KeyManager[] keyManagers(KeyStore store, char[] password) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a key manager", e);
        }
    }

    private static SSLContext sslContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }
}
