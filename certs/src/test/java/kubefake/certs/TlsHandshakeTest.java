package kubefake.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JDK TLS handshake with the PKI's material: the client checks the server by IP SAN 127.0.0.1. */
class TlsHandshakeTest {
    @TempDir
    Path tmp;

    ClusterPki pki;
    SSLServerSocket server;
    CompletableFuture<String> served;

    @BeforeEach
    void startServer() throws Exception {
        pki = ClusterPki.loadOrCreate(tmp.resolve("pki"),
                new PkiSpec("m-k8s", InetAddress.getByName("192.0.2.2"), List.of(), List.of()));
        server = (SSLServerSocket) pki.serverSslContext().getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        server.setWantClientAuth(true);
        served = CompletableFuture.supplyAsync(this::serveOneClient);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    /** Answers one line naming the authenticated user, as the API server's authenticator would see it. */
    private String serveOneClient() {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            var out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
            String request = in.readLine();
            X509Certificate[] peer;
            try {
                peer = (X509Certificate[]) socket.getSession().getPeerCertificates();
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                peer = null;
            }
            String user = pki.clientCertificateVerifier().authenticate(peer)
                    .map(id -> id.user() + " " + id.groups())
                    .orElse("system:anonymous");
            out.println(request + " from " + user);
            return user;
        } catch (Exception e) {
            return "server failed: " + e;
        }
    }

    private String exchange(javax.net.ssl.SSLContext clientContext) throws Exception {
        try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                .createSocket(InetAddress.getByName("127.0.0.1"), server.getLocalPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // checks 127.0.0.1 against the IP SANs
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake(); // explicitly: a PrintWriter would swallow a handshake failure
            var out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
            out.println("hello");
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void clientTrustingTheCaConnectsByIpAndIsAuthenticatedByItsCertificate() throws Exception {
        ClientCertificate admin = pki.issueClientCertificate("kubernetes-admin", List.of("kubeadm:cluster-admins"),
                Duration.ofDays(1));

        String answer = exchange(pki.clientSslContext(admin));

        assertEquals("hello from kubernetes-admin [kubeadm:cluster-admins]", answer);
        assertEquals("kubernetes-admin [kubeadm:cluster-admins]", served.get(10, TimeUnit.SECONDS));
    }

    @Test
    void clientWithoutCertificateStillConnectsAndIsAnonymous() throws Exception {
        assertEquals("hello from system:anonymous", exchange(pki.clientSslContext(null)));
    }

    @Test
    void clientTrustingAnotherCaRejectsTheServer() throws Exception {
        ClusterPki other = ClusterPki.loadOrCreate(tmp.resolve("other"),
                new PkiSpec("m-k8s", InetAddress.getByName("192.0.2.2"), List.of(), List.of()));

        assertThrows(SSLHandshakeException.class, () -> exchange(other.clientSslContext(null)));
    }
}
