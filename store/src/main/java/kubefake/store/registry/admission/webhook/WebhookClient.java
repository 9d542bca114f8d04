package kubefake.store.registry.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Posts AdmissionReviews to webhooks over HTTPS, trusting the webhook's {@code caBundle} (the JVM's trusted roots
 * without one), as apiserver's webhook client does; a call that fails says why in Go's words
 * ({@code Post "URL": dial tcp HOST:PORT: connect: connection refused}), which the dispatchers put in their errors.
 */
final class WebhookClient {
    /** A call that did not return a usable AdmissionReview ({@code webhookutil.ErrCallingWebhook}'s reason). */
    static final class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CallFailed(String message) {
            super(message);
        }
    }

    /** One HTTP client per CA bundle: its connections are reused from call to call. */
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    /**
     * Posts the review and returns the AdmissionReview's {@code response}.
     *
     * @param url the webhook's URL (the service's DNS name for a service reference)
     */
    ObjectNode call(String url, String caBundle, Duration timeout, ObjectNode review, String uid) throws CallFailed {
        // the rest client asks the server to answer within the timeout, as a query parameter
        String target = url + (url.contains("?") ? "&" : "?") + "timeout=" + timeout.toSeconds() + "s";
        HttpResponse<byte[]> answer;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json, */*")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(review))).build();
            answer = client(caBundle, timeout).send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IllegalArgumentException e) {
            throw new CallFailed("failed to call webhook: parse \"" + target + "\": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed("failed to call webhook: Post \"" + target + "\": context canceled");
        } catch (IOException e) {
            throw new CallFailed("failed to call webhook: Post \"" + target + "\": " + goError(URI.create(target), e));
        }
        if (answer.statusCode() < 200 || answer.statusCode() > 299) {
            throw new CallFailed("failed to call webhook: an error on the server (\""
                    + new String(answer.body(), StandardCharsets.UTF_8).trim() + "\") has prevented the request from succeeding");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new CallFailed("received invalid webhook response: " + e.getMessage());
        }
        String apiVersion = Json.text(body, "apiVersion");
        String kind = Json.text(body, "kind");
        if (!apiVersion.equals("admission.k8s.io/v1") || !kind.equals("AdmissionReview")) {
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            throw new CallFailed("received invalid webhook response: expected webhook response of admission.k8s.io/v1, "
                    + "Kind=AdmissionReview, got " + group + "/" + version + ", Kind=" + kind);
        }
        if (!(body.get("response") instanceof ObjectNode response)) {
            throw new CallFailed("received invalid webhook response: webhook response was absent");
        }
        if (!Json.text(response, "uid").equals(uid)) {
            throw new CallFailed("received invalid webhook response: expected response.uid=\"" + uid + "\", got \""
                    + Json.text(response, "uid") + "\"");
        }
        return response;
    }

    private HttpClient client(String caBundle, Duration connectTimeout) throws IOException {
        try {
            return clients.computeIfAbsent(caBundle + "|" + connectTimeout.toSeconds(), k -> {
                try {
                    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                            .sslContext(sslContext(caBundle)).build();
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException e) {
            throw new IOException("x509: " + e.getCause().getMessage(), e);
        }
    }

    /** Trusts the certificates of the base64 PEM bundle, or the JVM's roots when there is none. */
    private static SSLContext sslContext(String caBundle) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        if (caBundle.isEmpty()) {
            context.init(null, null, null);
            return context;
        }
        byte[] pem = Base64.getDecoder().decode(caBundle);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            trusted.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The error as Go's net/http and crypto/tls word it. */
    private static String goError(URI target, IOException e) {
        int port = target.getPort() == -1 ? 443 : target.getPort();
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) return "context deadline exceeded";
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return "dial tcp " + target.getHost() + ":" + port + ": connect: connection refused";
        }
        if (e instanceof SSLHandshakeException) {
            return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
        }
        if (e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
            return "dial tcp: lookup " + target.getHost() + ": no such host";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
