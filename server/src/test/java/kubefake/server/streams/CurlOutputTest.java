package kubefake.server.streams;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** curl's command line and what it prints for an answer or a failure, as a user's scripts rely on them. */
class CurlOutputTest {
    private static final String PAGE = "<html>hi</html>\n";
    private static final byte[] OK = ("HTTP/1.1 200 OK\r\nServer: nginx/1.29.3\r\nContent-Type: text/html\r\n"
            + "Content-Length: " + PAGE.length() + "\r\n\r\n" + PAGE).getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = ("HTTP/1.1 404 Not Found\r\nServer: nginx/1.29.3\r\nContent-Type: text/html\r\n"
            + "Content-Length: 4\r\n\r\ngone").getBytes(StandardCharsets.UTF_8);

    private static NodeShell.Result run(CurlOutput.Flavour flavour, byte[] response, String... args) {
        CurlCommand cmd = CurlCommand.parse(List.of(args));
        assertNull(cmd.error(), cmd::error);
        return new CurlOutput(cmd, flavour, "web", 80, "/").answered(response, "10.96.0.20", "web", Duration.ofMillis(2));
    }

    @Test
    void bunchedShortOptionsAndTheirValuesAreReadAsCurlReadsThem() {
        CurlCommand c = CurlCommand.parse(List.of("-sSLo", "/dev/null", "-w%{http_code}", "--max-time=3", "web"));
        assertNull(c.error());
        assertEquals("/dev/null", c.output());
        assertEquals("%{http_code}", c.writeOut());
        assertEquals(Duration.ofSeconds(3), c.timeout());
        assertEquals("web", c.url());
        assertEquals(true, c.silent() && c.showError());
        assertEquals("HEAD", CurlCommand.parse(List.of("-sI", "web")).method());
        assertEquals("POST", CurlCommand.parse(List.of("-d", "a=b", "web")).method());
        assertEquals("curl: option --nope: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
                CurlCommand.parse(List.of("--nope", "web")).error());
        assertEquals("curl: option -o: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
                CurlCommand.parse(List.of("web", "-o")).error());
    }

    @Test
    void writeOutAfterADiscardedBodyGivesTheStatusCode() {
        NodeShell.Result r = run(CurlOutput.Flavour.POD, OK, "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "web");
        assertEquals("200\n", r.stdout());
        assertEquals("", r.stderr());
        assertEquals(0, r.exitCode());
        NodeShell.Result vars = run(CurlOutput.Flavour.POD, OK, "-so", "/dev/null", "-w",
                "%{remote_ip}:%{remote_port} %{size_download} %{content_type} %{url_effective} %%", "web");
        assertEquals("10.96.0.20:80 16 text/html http://web/ %", vars.stdout());
    }

    @Test
    void headersOnlyWithHeadAndWithTheBodyWithInclude() {
        assertEquals("HTTP/1.1 200 OK\r\nServer: nginx/1.29.3\r\nContent-Type: text/html\r\nContent-Length: 16\r\n\r\n",
                run(CurlOutput.Flavour.POD, OK, "-sI", "web").stdout());
        assertEquals(new String(OK, StandardCharsets.UTF_8), run(CurlOutput.Flavour.POD, OK, "-si", "web").stdout());
        assertEquals(PAGE, run(CurlOutput.Flavour.POD, OK, "web").stdout());
    }

    @Test
    void failTurnsAnHttpErrorIntoExit22WithTheVersionsMessage() {
        NodeShell.Result pod = run(CurlOutput.Flavour.POD, NOT_FOUND, "-f", "web");
        assertEquals(22, pod.exitCode());
        assertEquals("", pod.stdout());
        assertEquals("curl: (22) The requested URL returned error: 404\n", pod.stderr());
        NodeShell.Result node = run(CurlOutput.Flavour.NODE, NOT_FOUND, "-fsS", "web");
        assertEquals("curl: (22) The requested URL returned error: 404 Not Found\n", node.stderr());
        assertEquals("", run(CurlOutput.Flavour.POD, NOT_FOUND, "-fs", "web").stderr());
        assertEquals("gone", run(CurlOutput.Flavour.POD, NOT_FOUND, "-s", "web").stdout(), "without -f the page is printed");
    }

    @Test
    void outputToAFileIsHandedToTheContainerAndNotPrinted() {
        NodeShell.Result r = run(CurlOutput.Flavour.POD, OK, "-s", "-o", "page.html", "web");
        assertEquals("", r.stdout());
        assertEquals("page.html", r.savedTo());
        assertArrayEquals(PAGE.getBytes(StandardCharsets.UTF_8), r.saved());
    }

    @Test
    void verboseShowsTheConnectionAndBothHeadersOnStderr() {
        NodeShell.Result r = run(CurlOutput.Flavour.POD, OK, "-sv", "web");
        assertEquals(PAGE, r.stdout());
        assertEquals("""
                * Host web:80 was resolved.
                * IPv6: (none)
                * IPv4: 10.96.0.20
                *   Trying 10.96.0.20:80...
                * Connected to web (10.96.0.20) port 80
                * using HTTP/1.x
                > GET / HTTP/1.1
                > Host: web
                > User-Agent: curl/8.14.1
                > Accept: */*
                >\s
                * Request completely sent off
                < HTTP/1.1 200 OK
                < Server: nginx/1.29.3
                < Content-Type: text/html
                < Content-Length: 16
                <\s
                { [16 bytes data]
                * Connection #0 to host web left intact
                """, r.stderr());
    }

    @Test
    void aFailedConnectionPrintsCode000AndTheErrorUnlessSilenced() {
        CurlCommand cmd = CurlCommand.parse(List.of("-s", "-w", "%{http_code}", "nosuch"));
        NodeShell.Result r = new CurlOutput(cmd, CurlOutput.Flavour.POD, "nosuch", 80, "/")
                .failed(6, "Could not resolve host: nosuch", null, Duration.ZERO);
        assertEquals("000", r.stdout());
        assertEquals("", r.stderr());
        assertEquals(6, r.exitCode());
        CurlCommand loud = CurlCommand.parse(List.of("nosuch"));
        assertEquals("curl: (6) Could not resolve host: nosuch\n", new CurlOutput(loud, CurlOutput.Flavour.POD, "nosuch", 80, "/")
                .failed(6, "Could not resolve host: nosuch", null, Duration.ZERO).stderr());
    }
}
