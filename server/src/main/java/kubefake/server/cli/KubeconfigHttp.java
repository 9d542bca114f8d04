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
 * client certificate or a bearer token). What kubefake's own commands use to talk to a running server.
 */
final class KubeconfigHttp {
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
        if (!Files.exists(file)) throw new IOException("kubeconfig " + file + " does not exist (is kubefake up running? see --kubeconfig)");
        Kubeconfig config = KubeconfigYaml.read(file);
        Kubeconfig.Context context = config.context(config.currentContext())
                .orElseThrow(() -> new IOException(file + ": no current context"));
        Kubeconfig.Cluster cluster = config.cluster(context.cluster())
                .orElseThrow(() -> new IOException(file + ": no cluster " + context.cluster()));
        Kubeconfig.User user = config.user(context.user()).orElseThrow(() -> new IOException(file + ": no user " + context.user()));
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            if (cluster.certificateAuthorityData() != null) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(cluster.certificateAuthorityData()))) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(cluster.certificateAuthorityData() != null ? trust : null);
            KeyManagerFactory kmf = null;
            if (user.clientCertificateData() != null && user.clientKeyData() != null) {
                char[] password = new char[0];
                KeyStore keys = ClientCertificate.fromPem(user.clientCertificateData(), user.clientKeyData()).keyStore(password);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            return new KubeconfigHttp(http, cluster.server(), user.token());
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
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
