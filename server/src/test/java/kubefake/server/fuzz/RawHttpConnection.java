package kubefake.server.fuzz;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection over TLS that sends requests byte for byte as given, so that malformed
 * request lines, escapes and headers reach the server unchanged (an HTTP client library would refuse or repair
 * them). A streamed answer (chunked: a watch) is taken as answered once its head arrives, and the connection is
 * then closed.
 */
public final class RawHttpConnection implements Closeable {

    /**
     * An answer: status, headers (lower-case names), body; {@code streamed} when only the head was read;
     * {@code closing} when the server said it closes the connection ({@code Connection: close}, or a body up to EOF).
     */
    public record Response(int status, Map<String, String> headers, byte[] body, boolean streamed, boolean closing) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean open = true;

    /** Connects to a loopback address only: the tool never talks to anything else. */
    public RawHttpConnection(SSLContext tls, String host, int port, int timeoutMillis) throws IOException {
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("only loopback addresses: " + host);
        }
        socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
        socket.setSoTimeout(timeoutMillis);
        socket.startHandshake();
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** TLS that accepts the server's self-signed chain (loopback test servers only). */
    public static SSLContext trustingTls() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the connection can take another request. */
    public boolean isOpen() {
        return open && !socket.isClosed();
    }

    /** Sends one request and reads its answer; the connection closes when the server says so or streams. */
    public Response exchange(byte[] request, boolean head) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before an answer");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not an HTTP answer: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon > 0) headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        boolean closing = "close".equalsIgnoreCase(headers.get("connection"));
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding")) || status == 101) {
            close();
            return new Response(status, headers, new byte[0], true, false);
        }
        byte[] body;
        String length = headers.get("content-length");
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = in.readAllBytes();
            closing = true;
        }
        // the server closes its side: the connection takes no more requests, and closedByServer can watch the close
        if (closing) open = false;
        return new Response(status, headers, body, false, closing);
    }

    /**
     * After an answer that said {@code Connection: close}: whether the server closes the connection within the time
     * (end of stream, or a reset), reading and dropping anything it still sends. The connection is closed after.
     */
    public boolean closedByServer(int millis) {
        try {
            socket.setSoTimeout(millis);
            long until = System.nanoTime() + millis * 1_000_000L;
            while (in.read() >= 0) {
                if (System.nanoTime() - until > 0) return false;
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset or TLS alert: closed
        } finally {
            close();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        open = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
