package kubefake.nodesim.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * BusyBox 1.36's {@code wget}: {@code -O FILE} ({@code -} for stdout; else the URL's last path component, which it
 * will not overwrite), {@code -q}, {@code -S} (the response's status line and headers on stderr), {@code -T SEC}
 * (its time limit, 900 s by default). Without {@code -q} it says where it connects and writes, and draws its progress
 * bar (a line on a pipe, redrawn on a terminal). Any failure ends it with status 1 and {@code wget: ...}.
 */
final class Wget implements Program {
    /** Linux's SYN retries: a connection nobody answers fails after about 130 s. */
    private static final long KERNEL_CONNECT_TIMEOUT = 130;

    private final String cwd;
    private final boolean tty;
    private final int columns;

    /** @param tty whether stderr is a terminal (its progress bar is redrawn there, sized to its {@code columns}) */
    Wget(String cwd, boolean tty, int columns) {
        this.cwd = cwd;
        this.tty = tty;
        this.columns = columns;
    }

    @Override
    public Running run(Context context, List<String> args, Output out, IntConsumer done) {
        String file = null;
        boolean quiet = false;
        boolean headers = false;
        long timeout = 900;
        String url = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) continue;
            if (a.startsWith("-") && a.length() > 1 && !a.startsWith("--")) {
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    if (c == 'q') quiet = true;
                    else if (c == 'S') headers = true;
                    else if (c == 'c' || c == 'n') {
                        if (c == 'n') break;
                    } else if ("OoPYUTt".indexOf(c) >= 0) {
                        String value = j + 1 < a.length() ? a.substring(j + 1) : i + 1 < args.size() ? args.get(++i) : null;
                        if (value == null) return fail(out, done, "option requires an argument -- '" + c + "'");
                        if (c == 'O') file = value;
                        if (c == 'T') {
                            try {
                                timeout = Long.parseLong(value);
                            } catch (NumberFormatException e) {
                                return fail(out, done, "invalid number '" + value + "'");
                            }
                        }
                        break;
                    } else {
                        return fail(out, done, "unrecognized option '" + a + "'");
                    }
                }
            } else if (a.startsWith("--")) {
                if (a.equals("--quiet")) quiet = true;
                else if (a.equals("--server-response")) headers = true;
                else if (a.startsWith("--output-document=")) file = a.substring(18);
                else if (a.startsWith("--timeout=")) timeout = Long.parseLong(a.substring(10));
            } else {
                url = a;
            }
        }
        if (url == null) {
            out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                    + "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
                    + "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
                    + "\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n");
            done.accept(1);
            return null;
        }
        String rest = url.replaceFirst("^http://", "");
        if (rest.matches("^[a-zA-Z]+://.*")) return fail(out, done, "not an http or ftp url: " + url);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        String host = authority.contains(":") ? authority.substring(0, authority.indexOf(':')) : authority;
        int port = 80;
        if (authority.contains(":")) {
            try {
                port = Integer.parseInt(authority.substring(authority.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                return fail(out, done, "bad port spec '" + authority.substring(authority.indexOf(':') + 1) + "'");
            }
        }
        String ip = context.resolver().resolve(host);
        if (ip == null) return fail(out, done, "bad address '" + authority + "'");
        if (!quiet) out.err("Connecting to " + authority + " (" + ip + ":" + port + ")\n");
        ExecProcess.Network.Reach reach = context.network().connect(ip, port);
        if (reach == ExecProcess.Network.Reach.DROPPED) {
            boolean timedOut = timeout < KERNEL_CONNECT_TIMEOUT;
            Output o = out;
            Runnable[] pending = new Runnable[1];
            pending[0] = context.timer().after(Duration.ofSeconds(Math.min(timeout, KERNEL_CONNECT_TIMEOUT)), () ->
                    fail(o, done, timedOut ? "download timed out" : "can't connect to remote host (" + ip + "): Connection timed out"));
            return () -> pending[0].run();
        }
        if (reach == ExecProcess.Network.Reach.REFUSED) {
            return fail(out, done, "can't connect to remote host (" + ip + "): Connection refused");
        }
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: Wget\r\nConnection: close\r\n";
        byte[] response = context.network().http(ip, port, head);
        if (response == null) return fail(out, done, "error getting response: Connection reset by peer");
        int split = indexOf(response);
        String responseHead = new String(response, 0, split < 0 ? response.length : split, StandardCharsets.ISO_8859_1);
        byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(response, split + 4, response.length);
        String[] lines = responseHead.split("\r\n");
        if (headers) for (String l : lines) out.err("  " + l + "\n");
        String[] status = lines[0].split(" ", 3);
        int code = status.length > 1 ? Integer.parseInt(status[1]) : 0;
        if (code != 200 && code != 201 && code != 202 && code != 203 && code != 204) {
            return fail(out, done, "server returned error: " + lines[0]);
        }
        boolean toStdout = "-".equals(file);
        String name = file != null ? file : path.endsWith("/") ? "index.html" : path.substring(path.lastIndexOf('/') + 1);
        String target = name.startsWith("/") ? name : cwd + "/" + name;
        if (!toStdout) {
            if (file == null && context.files().exists(target)) return fail(out, done, "can't open '" + name + "': File exists");
            if (!context.files().isDirectory(ContainerFiles.normalize(target + "/.."))) {
                return fail(out, done, "can't open '" + name + "': No such file or directory");
            }
            if (context.files().isDirectory(target)) return fail(out, done, "can't open '" + name + "': Is a directory");
        }
        if (!quiet) out.err(toStdout ? "writing to stdout\n" : "saving to '" + name + "'\n");
        if (toStdout) out.out(new String(body, StandardCharsets.UTF_8));
        else context.files().writeFile(ContainerFiles.normalize(target), body, 0644, Instant.now());
        if (!quiet) {
            out.err(progress(toStdout ? "-" : name.substring(name.lastIndexOf('/') + 1), body.length));
            out.err(toStdout ? "written to stdout\n" : "'" + name + "' saved\n");
        }
        done.accept(0);
        return null;
    }

    /** The progress bar's last state: the whole file arrived at once (on a terminal it is redrawn from column 0). */
    private String progress(String name, long size) {
        int width = tty && columns > 0 ? columns : 80;
        int bar = width - 48;
        String line = String.format("%-20.20s 100%% ", name) + (bar > 2 ? "|" + "*".repeat(bar) + "| " : "")
                + String.format("%5s", size(size)) + "  0:00:00 ETA\n";
        return tty ? "\r" + line : line;
    }

    /** BusyBox's five-character size: bytes up to 99999, then k, M... */
    private static String size(long n) {
        String units = " kMGTPEZY";
        int i = 0;
        while (n > 99999 && i < units.length() - 1) {
            n /= 1024;
            i++;
        }
        return i == 0 ? Long.toString(n) : n + String.valueOf(units.charAt(i));
    }

    private static Running fail(Output out, IntConsumer done, String message) {
        out.err("wget: " + message + "\n");
        done.accept(1);
        return null;
    }

    private static int indexOf(byte[] data) {
        for (int i = 0; i + 3 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') return i;
        }
        return -1;
    }
}
