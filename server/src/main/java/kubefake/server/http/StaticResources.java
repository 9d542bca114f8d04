package kubefake.server.http;

import kubefake.store.registry.errors.StatusException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Files shipped in the jar's resources, served at a URL prefix ahead of the API ({@code /ui/} → the web view's
 * {@code kubefake/ui/}): every other request goes on to the API's dispatcher.
 * <p>
 * The files are public, as a login page is: they hold no cluster data, and whatever they show comes from API calls
 * that carry the user's credentials. A path names a file only when each of its segments is a plain name
 * ({@code [A-Za-z0-9_-]}, dots inside) and it ends in a known extension: {@code ..}, encoded slashes, directories
 * and anything else outside the folder are the plain {@code 404 page not found} of an unknown path. The prefix
 * without its slash redirects to it, the folder serves its {@code index.html}. Answers carry an ETag and
 * {@code no-cache} (the browser revalidates, a 304 when unchanged), {@code nosniff} and a Content-Security-Policy
 * that allows the page's own scripts, styles and API calls only.
 */
public final class StaticResources implements ApiDispatcher {
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'; form-action 'self'";

    private final String prefix;
    private final String folder;
    private final ApiDispatcher api;
    /** Read once: resources do not change while the server runs. An absent file is remembered as empty. */
    private final Map<String, Optional<Asset>> files = new ConcurrentHashMap<>();

    private record Asset(byte[] body, String contentType, String etag) {
    }

    /**
     * @param prefix the URL folder, with its slashes ({@code /ui/})
     * @param folder the resource folder it maps to, with its trailing slash ({@code kubefake/ui/})
     * @param api    what answers every other request
     */
    public StaticResources(String prefix, String folder, ApiDispatcher api) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || !folder.endsWith("/")) {
            throw new IllegalArgumentException("prefix and folder end in a slash: " + prefix + " " + folder);
        }
        this.prefix = prefix;
        this.folder = folder;
        this.api = api;
    }

    @Override
    public Route route(ApiRequest request) {
        String path = request.path();
        boolean bare = path.equals(prefix.substring(0, prefix.length() - 1));
        if (!bare && !path.startsWith(prefix)) return api.route(request);
        return new Route(RequestKind.READ_ONLY, exchange -> exchange.reply(answer(request, bare)));
    }

    private Reply answer(ApiRequest request, boolean bare) {
        String method = request.method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) throw StatusException.methodNotAllowed();
        if (bare) return Reply.of(301, "text/html; charset=utf-8", new byte[0]).header("Location", prefix);
        String name = request.path().substring(prefix.length());
        if (name.isEmpty()) name = "index.html";
        Optional<Asset> file = lookUp(name);
        if (file.isEmpty()) return Reply.text(404, "404 page not found\n");
        Asset f = file.get();
        if (f.etag().equals(request.header("If-None-Match"))) {
            return Reply.of(304, f.contentType(), new byte[0]).header("ETag", f.etag());
        }
        Reply reply = Reply.of(200, f.contentType(), f.body()) // Netty leaves the body out of a HEAD answer
                .header("ETag", f.etag())
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
        if (f.contentType().startsWith("text/html")) reply.header("Content-Security-Policy", POLICY);
        return reply;
    }

    /** The file a relative name denotes inside the folder, or empty for anything that is not a plain file name. */
    private Optional<Asset> lookUp(String name) {
        String[] segments = name.split("/", -1);
        for (String s : segments) if (!SEGMENT.matcher(s).matches()) return Optional.empty();
        String last = segments[segments.length - 1];
        String type = CONTENT_TYPES.get(last.substring(last.lastIndexOf('.') + 1));
        if (type == null || last.indexOf('.') < 0) return Optional.empty();
        return files.computeIfAbsent(name, n -> read(n, type));
    }

    private Optional<Asset> read(String name, String contentType) {
        try (InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(folder + name)) {
            if (in == null) return Optional.empty();
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Optional.of(new Asset(body, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
