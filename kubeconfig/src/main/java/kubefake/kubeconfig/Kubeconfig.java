package kubefake.kubeconfig;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A kubeconfig file ({@code apiVersion: v1, kind: Config}): named clusters, users and contexts, and the
 * current context. Only the fields kubefake writes and reads are modelled; {@code *-data} fields hold
 * the decoded bytes (PEM), base64 exists only in the YAML.
 */
public record Kubeconfig(List<NamedCluster> clusters, List<NamedContext> contexts, String currentContext,
                         List<NamedUser> users) {

    public Kubeconfig {
        clusters = List.copyOf(clusters);
        contexts = List.copyOf(contexts);
        currentContext = currentContext == null ? "" : currentContext;
        users = List.copyOf(users);
    }

    /** Where the API server is and how to trust it. */
    public record Cluster(String server, byte[] certificateAuthorityData, String certificateAuthority,
                          boolean insecureSkipTlsVerify, String tlsServerName) {
        public Cluster {
            Objects.requireNonNull(server, "server");
        }

        /** A cluster trusted through an embedded CA certificate, as kubeadm writes it. */
        public static Cluster withCaData(String server, byte[] certificateAuthorityPem) {
            return new Cluster(server, certificateAuthorityPem, null, false, null);
        }
    }

    /** How a user authenticates: an embedded client certificate and key, files, or a bearer token. */
    public record User(byte[] clientCertificateData, byte[] clientKeyData, String clientCertificate, String clientKey,
                       String token) {
        public static User withClientCertificate(byte[] certificatePem, byte[] keyPem) {
            return new User(certificatePem, keyPem, null, null, null);
        }

        public static User withToken(String token) {
            return new User(null, null, null, null, token);
        }
    }

    /** A cluster, a user and optionally a default namespace. */
    public record Context(String cluster, String user, String namespace) {
        public Context {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(user, "user");
        }
    }

    public record NamedCluster(String name, Cluster cluster) {
    }

    public record NamedUser(String name, User user) {
    }

    public record NamedContext(String name, Context context) {
    }

    /**
     * The shape kubeadm gives admin.conf: one cluster, one user, one context named
     * {@code <user>@<cluster>} which is current.
     */
    public static Kubeconfig single(String clusterName, Cluster cluster, String userName, User user) {
        String contextName = userName + "@" + clusterName;
        return new Kubeconfig(List.of(new NamedCluster(clusterName, cluster)),
                List.of(new NamedContext(contextName, new Context(clusterName, userName, null))),
                contextName, List.of(new NamedUser(userName, user)));
    }

    public Optional<Cluster> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).map(NamedCluster::cluster).findFirst();
    }

    public Optional<User> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).map(NamedUser::user).findFirst();
    }

    public Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).map(NamedContext::context).findFirst();
    }
}
