package kubefake.server.streams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a curl run prints, as the curl of the node (Rocky Linux 9's 7.76.1) or of the nginx image (Debian's 8.14.1)
 * prints it: the body (or the headers for {@code -I}, both for {@code -i}) on stdout or into the {@code -o} file,
 * then the {@code -w} format; error lines on stderr unless silenced; {@code -v}'s connection and header lines on
 * stderr; {@code -f}'s exit 22 on an HTTP error.
 */
final class CurlOutput {
    /** The curl a node or a pod runs: its version shapes the User-Agent, verbose lines and error texts. */
    enum Flavour {
        NODE("7.76.1"), POD("8.14.1");

        final String version;

        Flavour(String version) {
            this.version = version;
        }

        boolean modern() {
            return this == POD;
        }
    }

    private final CurlCommand cmd;
    private final Flavour flavour;
    private final String host;
    private final int port;
    private final String path;

    CurlOutput(CurlCommand cmd, Flavour flavour, String host, int port, String path) {
        this.cmd = cmd;
        this.flavour = flavour;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** The request's line and headers as this curl sends them (without the empty line). */
    String requestHead(String authority) {
        StringBuilder h = new StringBuilder(cmd.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(authority).append("\r\n");
        h.append("User-Agent: curl/").append(flavour.version).append("\r\n");
        h.append("Accept: */*\r\n");
        for (String header : cmd.headers()) h.append(header).append("\r\n");
        return h.toString();
    }

    /** How this curl ends "Failed to connect to HOST port N" when the port refuses: curl 8 says how long it tried. */
    String refusal() {
        return flavour.modern() ? " after 0 ms: Couldn't connect to server" : ": Connection refused";
    }

    /** A run that got no HTTP answer: curl's error {@code code} with {@code message}, after {@code took}. */
    NodeShell.Result failed(int code, String message, String ip, Duration took) {
        StringBuilder err = new StringBuilder();
        if (cmd.verbose() && ip != null) err.append("*   Trying ").append(ip).append(':').append(port).append("...\n");
        if (cmd.showsErrors()) err.append("curl: (").append(code).append(") ").append(message).append('\n');
        String out = cmd.writeOut() == null ? "" : writeOut(0, 0, 0, "", ip, code, message, took, err);
        return new NodeShell.Result(out, err.toString(), code, took, null, null);
    }

    /**
     * A run that got {@code response} (status line, headers, body) from {@code ip}; {@code took} is what the -w times
     * show (the simulated network answers at once: the run has no wait to schedule).
     */
    NodeShell.Result answered(byte[] response, String ip, String authority, Duration took) {
        int split = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int headEnd = split < 0 ? response.length : split + 4;
        String head = new String(response, 0, headEnd, StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOfRange(response, headEnd, response.length);
        String statusLine = head.split("\r\n", 2)[0];
        String[] parts = statusLine.split(" ", 3);
        int status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        String contentType = "";
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) contentType = line.substring(13).trim();
        }
        StringBuilder err = new StringBuilder();
        if (cmd.verbose()) verbose(err, head, body.length, ip, authority);
        if (cmd.fail() && status >= 400) {
            String message = "The requested URL returned error: " + status
                    + (flavour.modern() || parts.length < 3 ? "" : " " + parts[2]);
            if (cmd.showsErrors()) err.append("curl: (22) ").append(message).append('\n');
            String out = cmd.writeOut() == null ? ""
                    : writeOut(status, 0, head.length(), contentType, ip, 22, message, took, err);
            return new NodeShell.Result(out, err.toString(), 22, Duration.ZERO, null, null);
        }
        byte[] content = cmd.headersOnly() ? head.getBytes(StandardCharsets.UTF_8)
                : cmd.includeHeaders() ? response : body;
        StringBuilder out = new StringBuilder();
        byte[] saved = null;
        if (cmd.output() == null) out.append(new String(content, StandardCharsets.UTF_8));
        else if (!cmd.output().equals("/dev/null")) saved = content;
        if (cmd.writeOut() != null) {
            out.append(writeOut(status, body.length, head.length(), contentType, ip, 0, "", took, err));
        }
        return new NodeShell.Result(out.toString(), err.toString(), 0, Duration.ZERO, saved == null ? null : cmd.output(),
                saved);
    }

    private void verbose(StringBuilder err, String head, int bodyLength, String ip, String authority) {
        boolean named = !host.equals(ip);
        if (flavour.modern() && named) {
            err.append("* Host ").append(host).append(':').append(port).append(" was resolved.\n");
            err.append("* IPv6: (none)\n* IPv4: ").append(ip).append('\n');
        }
        err.append("*   Trying ").append(ip).append(':').append(port).append("...\n");
        err.append("* Connected to ").append(host).append(" (").append(ip).append(") port ").append(port)
                .append(flavour.modern() ? "\n* using HTTP/1.x\n" : " (#0)\n");
        for (String line : requestHead(authority).split("\r\n")) err.append("> ").append(line).append('\n');
        err.append("> \n");
        err.append(flavour.modern() ? "* Request completely sent off\n" : "* Mark bundle as not supporting multiuse\n");
        for (String line : head.split("\r\n")) err.append("< ").append(line).append('\n');
        err.append("< \n");
        if (bodyLength > 0 && !cmd.headersOnly()) err.append("{ [").append(bodyLength).append(" bytes data]\n");
        err.append("* Connection #0 to host ").append(host).append(" left intact\n");
    }

    /** The {@code -w} format with its variables written out; an unknown variable is said on stderr, as curl does. */
    private String writeOut(int status, long downloaded, long headerSize, String contentType, String ip, int exitCode,
                            String errorMessage, Duration took, StringBuilder err) {
        String f = cmd.writeOut();
        String seconds = String.format(Locale.ROOT, "%.6f", took.toNanos() / 1e9);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == '\\' && i + 1 < f.length()) {
                char e = f.charAt(++i);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case '\\' -> b.append('\\');
                    default -> b.append('\\').append(e);
                }
            } else if (c == '%' && i + 1 < f.length() && f.charAt(i + 1) == '%') {
                b.append('%');
                i++;
            } else if (c == '%' && i + 1 < f.length() && f.charAt(i + 1) == '{' && f.indexOf('}', i) > 0) {
                int end = f.indexOf('}', i);
                String name = f.substring(i + 2, end);
                i = end;
                switch (name) {
                    case "http_code", "response_code" -> b.append(String.format(Locale.ROOT, "%03d", status));
                    case "time_total", "time_connect", "time_namelookup", "time_pretransfer", "time_starttransfer",
                         "time_appconnect" -> b.append(name.equals("time_total") || name.equals("time_starttransfer")
                            ? seconds : "0.000000");
                    case "remote_ip" -> b.append(ip == null ? "" : ip);
                    case "remote_port" -> b.append(ip == null ? "" : Integer.toString(port));
                    case "size_download" -> b.append(downloaded);
                    case "size_header" -> b.append(headerSize);
                    case "content_type" -> b.append(contentType);
                    case "url_effective" -> b.append("http://").append(host)
                            .append(port == 80 ? "" : ":" + port).append(path);
                    case "num_redirects", "num_connects" -> b.append(name.equals("num_connects") && ip != null ? 1 : 0);
                    case "method" -> b.append(cmd.method());
                    case "exitcode" -> b.append(exitCode);
                    case "errormsg" -> b.append(errorMessage);
                    case "scheme" -> b.append(flavour.modern() ? "http" : "HTTP");
                    default -> err.append("curl: unknown --write-out variable: '").append(name).append("'\n");
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }
}
