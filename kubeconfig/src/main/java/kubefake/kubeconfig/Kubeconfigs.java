package kubefake.kubeconfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import kubefake.certs.ClientCertificate;
import kubefake.certs.ClientIdentity;
import kubefake.certs.ClusterPki;

/** The kubeconfig files kubeadm writes for a control plane, and kubeconfigs for any client certificate. */
public final class Kubeconfigs {
    /** kubeadm's default cluster name. */
    public static final String CLUSTER_NAME = "kubernetes";
    /** kubeadm (1.29+) admin.conf identity: bound to cluster-admin through ClusterRoleBinding kubeadm:cluster-admins. */
    public static final String ADMIN_USER = "kubernetes-admin";
    public static final String ADMIN_GROUP = "kubeadm:cluster-admins";
    /** kubeadm (1.29+) super-admin.conf identity: system:masters, which bypasses RBAC. */
    public static final String SUPER_ADMIN_USER = "kubernetes-super-admin";
    public static final String SUPER_ADMIN_GROUP = "system:masters";
    /** kubeadm's client certificate lifetime. */
    public static final Duration CLIENT_CERTIFICATE_VALIDITY = Duration.ofDays(365);

    private Kubeconfigs() {
    }

    /**
     * Writes {@code admin.conf} and {@code super-admin.conf} into {@code dir} (like {@code /etc/kubernetes}),
     * mode 0600. An existing file keeps its client certificate while that certificate is valid, signed
     * by the cluster CA and names the expected user and group; only then is a file with the right
     * server and CA left untouched. Otherwise a new certificate is issued.
     *
     * @return the path of admin.conf
     */
    public static Path writeAdminConfs(ClusterPki pki, String serverUrl, Path dir) {
        Path admin = dir.resolve("admin.conf");
        writeClientConfig(pki, serverUrl, admin, ADMIN_USER, List.of(ADMIN_GROUP));
        writeClientConfig(pki, serverUrl, dir.resolve("super-admin.conf"), SUPER_ADMIN_USER, List.of(SUPER_ADMIN_GROUP));
        return admin;
    }

    /**
     * Makes {@code file} a kubeconfig for user {@code user} (CN) in {@code groups} (O) on cluster
     * {@value #CLUSTER_NAME}, reusing the client certificate already in it when still good.
     */
    public static void writeClientConfig(ClusterPki pki, String serverUrl, Path file, String user, List<String> groups) {
        Optional<Kubeconfig> existing = readIfPresent(file);
        Optional<ClientCertificate> reusable = existing.flatMap(config -> reusableCertificate(pki, config, user, groups));
        if (reusable.isPresent() && isCurrent(existing.get(), pki, serverUrl, user)) {
            return; // nothing to change: keep the file byte for byte
        }
        ClientCertificate certificate = reusable.orElseGet(
                () -> pki.issueClientCertificate(user, groups, CLIENT_CERTIFICATE_VALIDITY));
        KubeconfigYaml.write(forClientCertificate(pki, serverUrl, certificate), file);
    }

    /** A kubeadm-shaped kubeconfig: cluster {@value #CLUSTER_NAME}, user = the certificate's CN, context {@code <user>@kubernetes}. */
    public static Kubeconfig forClientCertificate(ClusterPki pki, String serverUrl, ClientCertificate certificate) {
        return Kubeconfig.single(CLUSTER_NAME, Kubeconfig.Cluster.withCaData(serverUrl, pki.caCertificatePem()),
                certificate.commonName(),
                Kubeconfig.User.withClientCertificate(certificate.certificatePem(), certificate.privateKeyPem()));
    }

    /** A kubeconfig authenticating with a bearer token (e.g. a service account's), user named {@code userName}. */
    public static Kubeconfig forToken(ClusterPki pki, String serverUrl, String userName, String token) {
        return Kubeconfig.single(CLUSTER_NAME, Kubeconfig.Cluster.withCaData(serverUrl, pki.caCertificatePem()),
                userName, Kubeconfig.User.withToken(token));
    }

    private static Optional<Kubeconfig> readIfPresent(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KubeconfigYaml.read(file));
        } catch (RuntimeException e) {
            return Optional.empty(); // unreadable: it only holds derived material, so it is rewritten
        }
    }

    private static Optional<ClientCertificate> reusableCertificate(ClusterPki pki, Kubeconfig config, String user,
                                                                   List<String> groups) {
        Optional<Kubeconfig.User> entry = config.user(user);
        if (entry.isEmpty() || entry.get().clientCertificateData() == null || entry.get().clientKeyData() == null) {
            return Optional.empty();
        }
        try {
            ClientCertificate certificate = ClientCertificate.fromPem(entry.get().clientCertificateData(),
                    entry.get().clientKeyData());
            ClientIdentity identity = pki.clientCertificateVerifier().verify(List.of(certificate.certificate()));
            return identity.equals(new ClientIdentity(user, groups)) ? Optional.of(certificate) : Optional.empty();
        } catch (IllegalArgumentException | CertificateException e) {
            return Optional.empty();
        }
    }

    /** Whether the file already says exactly what we would write around its certificate. */
    private static boolean isCurrent(Kubeconfig config, ClusterPki pki, String serverUrl, String user) {
        String contextName = user + "@" + CLUSTER_NAME;
        return config.clusters().size() == 1 && config.users().size() == 1 && config.contexts().size() == 1
                && contextName.equals(config.currentContext())
                && config.context(contextName).map(c -> c.cluster().equals(CLUSTER_NAME) && c.user().equals(user)).orElse(false)
                && config.cluster(CLUSTER_NAME)
                        .map(c -> c.server().equals(serverUrl) && Arrays.equals(c.certificateAuthorityData(), pki.caCertificatePem()))
                        .orElse(false);
    }
}
