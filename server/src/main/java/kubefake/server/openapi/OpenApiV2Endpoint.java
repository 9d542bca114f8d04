package kubefake.server.openapi;

import kubefake.server.http.Reply;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * GET /openapi/v2 as kube-openapi's handler answers it: the first Accept clause (by quality, then specificity) that
 * names JSON or one of the two protobuf media types picks the body (a wildcard or no Accept gives JSON), 406 when none
 * does; {@code Vary: Accept}, the document's ETag, {@code Last-Modified}; Go's {@code http.ServeContent} then answers
 * 304 to a matching {@code If-None-Match} (or, without one, to an {@code If-Modified-Since} not before the build).
 */
public final class OpenApiV2Endpoint {
    static final String JSON = "application/json";
    static final String PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    private static final String[][] OFFERED = {
            {"application", "json", JSON},
            {"application", "com.github.proto-openapi.spec.v2@v1.0+protobuf", PROTOBUF},
            {"application", "com.github.proto-openapi.spec.v2.v1.0+protobuf", PROTOBUF},
    };
    /** Go's http.TimeFormat. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private OpenApiV2Endpoint() {
    }

    public static Reply answer(OpenApiV2 document, String accept, String ifNoneMatch, String ifModifiedSince) {
        String type = negotiate(accept == null || accept.isBlank() ? "*/*" : accept);
        if (type == null) return Reply.of(406, "text/plain; charset=utf-8", new byte[0]).header("Vary", "Accept");
        OpenApiV2.Served s = document.served();
        String etag = "\"" + s.etag() + "\"";
        if (ifNoneMatch != null ? matches(ifNoneMatch, etag) : notModifiedSince(ifModifiedSince, s.lastModified())) {
            // Go drops Last-Modified from a 304 that carries an ETag
            return Reply.of(304, type, new byte[0]).header("Vary", "Accept").header("Etag", etag);
        }
        return Reply.of(200, type, type.equals(JSON) ? s.json() : s.protobuf())
                .header("Accept-Ranges", "bytes")
                .header("Etag", etag)
                .header("Last-Modified", HTTP_DATE.format(s.lastModified()))
                .header("Vary", "Accept");
    }

    /** The media type to answer with, or null: goautoneg's clause order, the handler's offer order within a clause. */
    static String negotiate(String accept) {
        record Clause(String type, String subType, double q, int index) {
        }
        List<Clause> clauses = new ArrayList<>();
        String[] parts = accept.split(",");
        for (int i = 0; i < parts.length; i++) {
            String[] params = parts[i].trim().split(";");
            String[] media = params[0].trim().split("/", 2);
            if (media.length != 2) continue;
            double q = 1;
            for (int j = 1; j < params.length; j++) {
                String[] kv = params[j].trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("q")) {
                    try {
                        q = Double.parseDouble(kv[1].trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            clauses.add(new Clause(media[0].trim(), media[1].trim(), q, i));
        }
        clauses.sort(Comparator.comparingDouble((Clause c) -> -c.q())
                .thenComparing(c -> c.type().equals("*"))
                .thenComparing(c -> c.subType().equals("*"))
                .thenComparingInt(Clause::index));
        for (Clause c : clauses) {
            for (String[] offer : OFFERED) {
                if ((c.type().equals(offer[0]) || c.type().equals("*"))
                        && (c.subType().equals(offer[1]) || c.subType().equals("*"))) {
                    return offer[2];
                }
            }
        }
        return null;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) return true;
        }
        return false;
    }

    private static boolean notModifiedSince(String ifModifiedSince, Instant lastModified) {
        if (ifModifiedSince == null) return false;
        try {
            Instant since = ZonedDateTime.parse(ifModifiedSince, HTTP_DATE).toInstant();
            return lastModified.getEpochSecond() <= since.getEpochSecond();
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
