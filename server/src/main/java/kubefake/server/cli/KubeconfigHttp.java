package kubefake.server.cli;

import kubefake.certs.ClientCertificate;
import kubefake.kubeconfig.Kubeconfig;
import kubefake.kubeconfig.KubeconfigYaml;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * HTTPS requests to a cluster as a kubeconfig's current context says: its server, trusting its CA, as its user (a
 * client certificate or a bearer token; certificates and keys inline or in files). What kubefake's own commands use to
 * talk to a running server, and the load harness to talk to any API server.
 */
public final class KubeconfigHttp {
    private final HttpClient http;
    private final String server;
    private final String token;

    private KubeconfigHttp(HttpClient http, String server, String token) {
        this.http = http;
        this.server = server.replaceAll("/+$", "");
        this.token = token;
    }

    /** The kubeconfig to use: --kubeconfig, else $KUBECONFIG's first file, else ~/.kubefake/admin.conf. */
    static Path locate(Path option) {
        if (option != null) return option;
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) return Path.of(env.split(java.io.File.pathSeparator)[0]);
        return UpCommand.homeDirectory().resolve(".kubefake").resolve("admin.conf");
    }

    static KubeconfigHttp of(Path file) throws IOException {
        return of(file, Duration.ofSeconds(10));
    }

    public static KubeconfigHttp of(Path file, Duration connectTimeout) throws IOException {
        if (!Files.exists(file)) throw new IOException("kubeconfig " + file + " does not exist (is kubefake up running? see --kubeconfig)");
        Kubeconfig config = KubeconfigYaml.read(file);
        Kubeconfig.Context context = config.context(config.currentContext())
                .orElseThrow(() -> new IOException(file + ": no current context"));
        Kubeconfig.Cluster cluster = config.cluster(context.cluster())
                .orElseThrow(() -> new IOException(file + ": no cluster " + context.cluster()));
        Kubeconfig.User user = config.user(context.user()).orElseThrow(() -> new IOException(file + ": no user " + context.user()));
        try {
            byte[] ca = dataOrFile(cluster.certificateAuthorityData(), cluster.certificateAuthority());
            KeyStore trust = null;
            if (ca != null) {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(ca))) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust); // null: the JDK's CAs
            byte[] cert = dataOrFile(user.clientCertificateData(), user.clientCertificate());
            byte[] key = dataOrFile(user.clientKeyData(), user.clientKey());
            KeyManagerFactory kmf = null;
            if (cert != null && key != null) {
                char[] password = new char[0];
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ClientCertificate.fromPem(cert, key).keyStore(password), password);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(connectTimeout).build();
            return new KubeconfigHttp(http, cluster.server(), user.token());
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** A kubeconfig's {@code *-data} field, else the file its path field names (relative paths as kubectl reads them: from the working directory). */
    private static byte[] dataOrFile(byte[] data, String file) throws IOException {
        return data != null ? data : file == null || file.isEmpty() ? null : Files.readAllBytes(Path.of(file));
    }

    /** The client, for requests this class does not make (streams, bodies). */
    public HttpClient client() {
        return http;
    }

    /** The server's URL, without a trailing slash. */
    public String server() {
        return server;
    }

    /** The user's bearer token, or null. */
    public String token() {
        return token;
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return send(method, path, HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(String method, String path, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        return send(method, path, body, Duration.ofSeconds(30));
    }

    <T> HttpResponse<T> send(String method, String path, HttpResponse.BodyHandler<T> body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(timeout)
                .header("Accept", "application/json").method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null && !token.isEmpty()) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), body);
    }
}
