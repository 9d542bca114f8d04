package kubefake.server.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A curl command line as curl reads it: short options alone or bunched ({@code -sSL}, {@code -fsSL}, {@code -so FILE},
 * {@code -ofile}), long ones, and what they ask for (silence, where the body goes, a write-out format after the
 * transfer, headers shown, verbose lines, failing on HTTP errors, time limits). Options that change nothing in the
 * simulated network (redirects followed, TLS checks, compression, IP version) are accepted and have no effect.
 *
 * @param url          the URL (the last argument that is not an option), null when none
 * @param error        what curl says of a command line it refuses (exit 2), else null
 * @param method       the request's method ({@code -X}, {@code -I}: HEAD, {@code -d}: POST)
 * @param output       where the body goes: null is stdout ({@code -o -} too), else a file ({@code /dev/null} included)
 * @param writeOut     the {@code -w} format, or null
 * @param timeout      the shortest of {@code -m} and {@code --connect-timeout}, or null
 */
public record CurlCommand(String url, String error, String method, boolean silent, boolean showError, String output,
                          String writeOut, boolean headersOnly, boolean includeHeaders, boolean verbose, boolean fail,
                          Duration timeout, List<String> headers) {
    /** Short options that take a value, and their long names. */
    private static final Map<Character, String> SHORT_WITH_VALUE = Map.of('o', "--output", 'w', "--write-out",
            'm', "--max-time", 'X', "--request", 'H', "--header", 'd', "--data", 'A', "--user-agent", 'u', "--user",
            'e', "--referer", 'x', "--proxy");
    private static final Map<Character, String> SHORT_FLAGS = Map.ofEntries(Map.entry('s', "--silent"),
            Map.entry('S', "--show-error"), Map.entry('I', "--head"), Map.entry('i', "--include"),
            Map.entry('v', "--verbose"), Map.entry('f', "--fail"), Map.entry('L', "--location"),
            Map.entry('k', "--insecure"), Map.entry('N', "--no-buffer"), Map.entry('4', "--ipv4"),
            Map.entry('6', "--ipv6"), Map.entry('q', "--disable"), Map.entry('g', "--globoff"));
    private static final List<String> LONG_WITH_VALUE = List.of("--output", "--write-out", "--max-time",
            "--connect-timeout", "--request", "--header", "--data", "--data-raw", "--data-binary", "--user-agent",
            "--user", "--referer", "--proxy", "--resolve", "--retry", "--retry-delay", "--cacert", "--cert", "--key",
            "--max-redirs", "--url");
    private static final List<String> LONG_FLAGS = List.of("--silent", "--show-error", "--head", "--include",
            "--verbose", "--fail", "--location", "--insecure", "--no-buffer", "--ipv4", "--ipv6", "--disable",
            "--globoff", "--compressed", "--http1.1", "--no-progress-meter", "--fail-with-body", "--no-keepalive",
            "--progress-bar");

    /** Reads curl's arguments (without the program name). */
    public static CurlCommand parse(List<String> args) {
        Builder b = new Builder();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0 && LONG_WITH_VALUE.contains(a.substring(0, eq))) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (LONG_WITH_VALUE.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) return b.refused("curl: option " + name + ": requires parameter\n");
                        value = args.get(++i);
                    }
                    String refusal = b.option(name, value);
                    if (refusal != null) return b.refused(refusal);
                } else if (LONG_FLAGS.contains(name)) {
                    b.flag(name);
                } else {
                    return b.refused("curl: option " + a + ": is unknown\n");
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    String withValue = SHORT_WITH_VALUE.get(c);
                    if (withValue != null) {
                        String value;
                        if (j + 1 < a.length()) value = a.substring(j + 1);
                        else if (i + 1 < args.size()) value = args.get(++i);
                        else return b.refused("curl: option -" + c + ": requires parameter\n");
                        String refusal = b.option(withValue, value);
                        if (refusal != null) return b.refused(refusal);
                        break;
                    }
                    String flag = SHORT_FLAGS.get(c);
                    if (flag == null) return b.refused("curl: option -" + a.substring(j) + ": is unknown\n");
                    b.flag(flag);
                }
            } else {
                b.url = a;
            }
        }
        if (b.url == null) return b.refused("curl: no URL specified\n");
        return b.build(null);
    }

    private static final class Builder {
        String url;
        String method = "GET";
        boolean silent;
        boolean showError;
        String output;
        String writeOut;
        boolean headersOnly;
        boolean includeHeaders;
        boolean verbose;
        boolean fail;
        Duration timeout;
        final List<String> headers = new ArrayList<>();

        void flag(String name) {
            switch (name) {
                case "--silent" -> silent = true;
                case "--show-error" -> showError = true;
                case "--head" -> {
                    headersOnly = true;
                    method = "HEAD";
                }
                case "--include" -> includeHeaders = true;
                case "--verbose" -> verbose = true;
                case "--fail" -> fail = true;
                default -> {
                }
            }
        }

        /** Takes an option's value; returns curl's refusal of it, or null. */
        String option(String name, String value) {
            switch (name) {
                case "--output" -> output = value.equals("-") ? null : value;
                case "--write-out" -> writeOut = value;
                case "--max-time", "--connect-timeout" -> {
                    double seconds;
                    try {
                        seconds = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        return "curl: option " + name + ": expected a proper numerical parameter\n";
                    }
                    Duration d = Duration.ofMillis((long) (seconds * 1000));
                    if (timeout == null || d.compareTo(timeout) < 0) timeout = d;
                }
                case "--request" -> method = value.toUpperCase(Locale.ROOT);
                case "--header" -> headers.add(value);
                case "--data", "--data-raw", "--data-binary" -> {
                    if (method.equals("GET")) method = "POST";
                }
                case "--url" -> url = value;
                default -> {
                }
            }
            return null;
        }

        CurlCommand refused(String message) {
            return build(message + "curl: try 'curl --help' or 'curl --manual' for more information\n");
        }

        CurlCommand build(String error) {
            return new CurlCommand(url, error, method, silent, showError, output, writeOut, headersOnly, includeHeaders,
                    verbose, fail, timeout, List.copyOf(headers));
        }
    }

    /** Whether an error message is printed: not under {@code -s} unless {@code -S} asks for errors again. */
    public boolean showsErrors() {
        return !silent || showError;
    }
}
