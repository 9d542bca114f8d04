package kubefake.store.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import kubefake.store.mvcc.RevisionStamper;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the store's etcd is and how to reach it: kube-apiserver's {@code --etcd-servers}, {@code --etcd-cafile},
 * {@code --etcd-certfile}, {@code --etcd-keyfile} and {@code --etcd-prefix}.
 *
 * @param servers  the members' client URLs (http:// or https://)
 * @param caFile   the CA that signed the members' serving certificates (PEM), or null for the JDK's trust store
 * @param certFile the client certificate (PEM) for etcd's client-certificate authentication, or null
 * @param keyFile  its private key (PEM), or null
 * @param prefix   the key prefix (default {@code /registry})
 */
public record EtcdConnection(List<URI> servers, Path caFile, Path certFile, Path keyFile, String prefix) {
    public static final String DEFAULT_PREFIX = "/registry";
    /** The root of the registry's key names ({@code /registry/<resource>/...}), which the prefix replaces in etcd. */
    public static final String REGISTRY_ROOT = "/registry";

    public EtcdConnection {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) throw new IllegalArgumentException("no etcd server given");
        for (URI u : servers) {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException("not an etcd client URL (http[s]://HOST:PORT): " + u);
            }
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--etcd-certfile and --etcd-keyfile go together");
        }
        prefix = prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix;
    }

    /** One --etcd-servers URL. */
    public static URI server(String text) {
        try {
            return new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not an etcd client URL (http[s]://HOST:PORT): " + text);
        }
    }

    /** A jetcd client for these servers (TLS when any URL is https). */
    public Client client() throws SSLException {
        ClientBuilder builder = Client.builder().endpoints(servers.toArray(URI[]::new))
                .connectTimeout(Duration.ofSeconds(10))
                // a range answer is as large as the objects listed (gRPC's default stops at 4 MiB); etcd's own Go
                // client, which kube-apiserver uses, accepts any size
                .maxInboundMessageSize(Integer.MAX_VALUE);
        if (servers.stream().anyMatch(u -> u.getScheme().equals("https"))) {
            builder.sslContext(ssl -> {
                if (caFile != null) ssl.trustManager(caFile.toFile());
                if (certFile != null) ssl.keyManager(certFile.toFile(), keyFile.toFile());
            });
        }
        return builder.build();
    }

    /** Opens the store on this etcd; closing the store closes its client. */
    public EtcdKeyValueStore open(RevisionStamper stamper) throws SSLException {
        Objects.requireNonNull(stamper, "stamper");
        Client client = client();
        try {
            return new EtcdKeyValueStore(client, REGISTRY_ROOT, prefix, stamper, true);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return String.join(",", servers.stream().map(URI::toString).toList()) + " (prefix " + prefix + ")";
    }
}
