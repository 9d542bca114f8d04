package kubefake.kubeconfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.net.ssl.SSLPeerUnverifiedException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import kubefake.certs.ClusterPki;

/**
 * A minimal HTTPS server on 127.0.0.1 built from the PKI's TLS material, answering every request with
 * the identity its client certificate authenticates: enough for real kubectl to prove it trusts the
 * serving certificate and presents the kubeconfig's client certificate.
 */
final class WhoAmIServer implements AutoCloseable {
    private final HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private WhoAmIServer(HttpsServer server) {
        this.server = server;
    }

    static WhoAmIServer start(ClusterPki pki) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(pki.serverSslContext()) {
            @Override
            public void configure(HttpsParameters params) {
                params.setWantClientAuth(true);
            }
        });
        WhoAmIServer whoAmI = new WhoAmIServer(https);
        https.createContext("/", exchange -> {
            whoAmI.requests.incrementAndGet();
            X509Certificate[] chain = peerChain((HttpsExchange) exchange);
            String body = pki.clientCertificateVerifier().authenticate(chain)
                    .map(id -> "{\"user\":\"" + id.user() + "\",\"groups\":["
                            + id.groups().stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",")) + "]}")
                    .orElse("{\"user\":\"system:anonymous\",\"groups\":[]}");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        https.start();
        return whoAmI;
    }

    private static X509Certificate[] peerChain(HttpsExchange exchange) {
        try {
            Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
            return Arrays.copyOf(chain, chain.length, X509Certificate[].class);
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
