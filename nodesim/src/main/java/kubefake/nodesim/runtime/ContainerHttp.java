package kubefake.nodesim.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What a container's HTTP server answers, as its image's catalogue entry says ({@code answers}): {@code static} is
 * nginx's welcome page as nginx serves it (its headers included), {@code hostname} is echo-hname's pod name. A request
 * for another path gets nginx's 404 page.
 */
public final class ContainerHttp {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String NGINX = "nginx/1.29.3";
    private static final String NOT_FOUND = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
            + "<center><h1>404 Not Found</h1></center>\r\n<hr><center>" + NGINX + "</center>\r\n</body>\r\n</html>\r\n";

    private ContainerHttp() {
    }

    /** Whether a port of this process answers HTTP. */
    public static boolean speaksHttp(Timeline process) {
        return !process.answers().isEmpty();
    }

    /**
     * The whole response to one request (its request line and headers read): status line, headers, body.
     *
     * @param head      the request's line and headers, without the empty line
     * @param hostname  the pod's name (the container's hostname)
     * @param startedAt when the container started (the page's Last-Modified)
     */
    public static byte[] respond(Timeline process, String head, String hostname, Instant startedAt, Instant now) {
        return respond(process, head, hostname, startedAt, now, null);
    }

    /**
     * As above, nginx serving its pages from the container's file system when exec has written there ({@code files},
     * else null: the image's pages): an edited or copied-in page is what the next request gets.
     */
    public static byte[] respond(Timeline process, String head, String hostname, Instant startedAt, Instant now,
                                 ContainerFiles files) {
        String[] requestLine = head.split("\r?\n", 2)[0].split(" ");
        String method = requestLine.length > 0 ? requestLine[0] : "";
        String path = requestLine.length > 1 ? requestLine[1] : "/";
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        boolean keepAlive = !head.toLowerCase(Locale.ROOT).contains("\nconnection: close");
        String body = null;
        byte[] bytes = null;
        int status = 200;
        String contentType = "text/html";
        boolean page = process.answers().equals("static");
        if (process.answers().equals("hostname")) {
            body = hostname + "\n";
            contentType = "text/plain";
        } else if (files != null && page) {
            String file = ContainerFiles.NGINX_ROOT + (path.endsWith("/") ? path + "index.html" : path);
            ContainerFiles.Entry e = files.entry(file);
            if (e != null && !e.directory()) {
                bytes = e.content();
                startedAt = e.modified();
                contentType = file.endsWith(".html") ? "text/html" : file.endsWith(".txt") ? "text/plain" : "application/octet-stream";
            } else {
                status = 404;
                bytes = NOT_FOUND.getBytes(StandardCharsets.UTF_8);
                page = false;
            }
        } else if (path.equals("/") || path.equals("/index.html")) {
            body = ContainerFiles.NGINX_INDEX;
        } else {
            status = 404;
            body = NOT_FOUND;
            page = false;
        }
        if (bytes == null) bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder();
        h.append("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " Not Found").append("\r\n");
        h.append("Server: ").append(NGINX).append("\r\n");
        h.append("Date: ").append(HTTP_DATE.format(now)).append("\r\n");
        h.append("Content-Type: ").append(contentType).append("\r\n");
        h.append("Content-Length: ").append(bytes.length).append("\r\n");
        if (page) {
            h.append("Last-Modified: ").append(HTTP_DATE.format(startedAt)).append("\r\n");
        }
        h.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n");
        if (page) {
            h.append(String.format(Locale.ROOT, "ETag: \"%x-%x\"\r\n", startedAt.getEpochSecond(), bytes.length));
            h.append("Accept-Ranges: bytes\r\n");
        }
        h.append("\r\n");
        byte[] head2 = h.toString().getBytes(StandardCharsets.UTF_8);
        if (method.equals("HEAD")) return head2;
        byte[] out = new byte[head2.length + bytes.length];
        System.arraycopy(head2, 0, out, 0, head2.length);
        System.arraycopy(bytes, 0, out, head2.length, bytes.length);
        return out;
    }

    /** Whether the client asked to close the connection after this request. */
    public static boolean closes(String head) {
        return head.toLowerCase(Locale.ROOT).contains("\nconnection: close");
    }
}
