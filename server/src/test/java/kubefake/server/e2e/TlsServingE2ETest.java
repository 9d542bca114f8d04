package kubefake.server.e2e;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import kubefake.certs.ClientCertificate;
import kubefake.server.KubefakeCluster;
import kubefake.server.http.HttpFrontEnd;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a TLS client sees of the API server's HTTPS: the provider, ALPN, the serving certificate, client certificates. */
class TlsServingE2ETest {

    @Test
    void boringSslServesOnThisPlatform() {
        assertTrue(OpenSsl.isAvailable(), () -> "the native TLS library did not load: " + OpenSsl.unavailabilityCause());
        KubefakeCluster c = TestCluster.get();
        assertInstanceOf(OpenSslContext.class, HttpFrontEnd.sslContext(c.pki().servingKey(),
                c.pki().servingCertificateChain().toArray(new X509Certificate[0]), c.pki().clientCertificateVerifier()));
    }

    @Test
    void kubectlsAlpnOfferGetsHttp11AndTheServingCertificate() throws IOException {
        KubefakeCluster c = TestCluster.get();
        try (SSLSocket tls = connect(c, null, "h2", "http/1.1")) {
            assertEquals("http/1.1", tls.getApplicationProtocol());
            assertEquals(c.pki().servingCertificate(), tls.getSession().getPeerCertificates()[0]);
        }
        try (SSLSocket tls = connect(c, null, "h2")) {
            assertEquals("", tls.getApplicationProtocol(), "no protocol is chosen for an h2-only offer");
        }
    }

    @Test
    void theClientCertificatesSubjectIsTheUser() throws IOException {
        KubefakeCluster c = TestCluster.get();
        ClientCertificate jane = c.pki().issueClientCertificate("jane", List.of("dev", "qa"), Duration.ofHours(1));
        String body = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";
        try (SSLSocket tls = connect(c, jane, "http/1.1")) {
            tls.getOutputStream().write(("POST /apis/authentication.k8s.io/v1/selfsubjectreviews HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                    + body).getBytes(StandardCharsets.UTF_8));
            String response = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 201 "), response);
            assertTrue(response.contains("\"userInfo\":{\"username\":\"jane\",\"groups\":[\"dev\",\"qa\",\"system:authenticated\"]}"),
                    response);
        }
    }

    @Test
    void theSessionTicketsComeRightAfterTheHandshakeAsFromGosServer() throws IOException, InterruptedException {
        // Go's server sends its TLS 1.3 ticket once the client's last flight is in; a client with Nagle's algorithm on
        // sends its first request only once its Finished is acknowledged, which those bytes do at once
        KubefakeCluster c = TestCluster.get();
        Socket tcp = new Socket();
        tcp.connect(new InetSocketAddress("127.0.0.1", c.port()), 10_000);
        try (SSLSocket tls = (SSLSocket) c.pki().clientSslContext(null).getSocketFactory()
                .createSocket(tcp, "127.0.0.1", c.port(), true)) {
            tls.setSoTimeout(10_000);
            tls.startHandshake();
            assertEquals("TLSv1.3", tls.getSession().getProtocol());
            // the TLS socket reads only when asked: what the server sent meanwhile waits in the TCP socket
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tcp.getInputStream().available() == 0 && System.nanoTime() < giveUp) Thread.sleep(5);
            assertTrue(tcp.getInputStream().available() > 0, "nothing came from the server before the first request");
            tls.getOutputStream().write("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200 ") && response.endsWith("ok"), response);
        }
    }

    private static SSLSocket connect(KubefakeCluster c, ClientCertificate client, String... alpn) throws IOException {
        Socket tcp = new Socket();
        tcp.connect(new InetSocketAddress("127.0.0.1", c.port()), 10_000);
        SSLSocket tls = (SSLSocket) c.pki().clientSslContext(client).getSocketFactory()
                .createSocket(tcp, "127.0.0.1", c.port(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setApplicationProtocols(alpn);
        tls.setSSLParameters(p);
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        return tls;
    }
}
