package kubefake.server.encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kubefake.store.registry.errors.StatusException;

/**
 * Chooses what to write from the Accept header as the API server does ({@code negotiation.NegotiateMediaTypeOptions}):
 * the clauses in goautoneg's order, each tried against JSON, YAML and protobuf in turn; the first media type the
 * clause matches (a wildcard type matches JSON first) and the endpoint can serve with the
 * clause's parameters wins. No Accept header means JSON; nothing acceptable means 406.
 */
public final class ContentNegotiation {

    private static final MediaType[] OFFERED = MediaType.values();

    private ContentNegotiation() {
    }

    /** The negotiated output, or empty when no clause can be served (the caller answers 406). */
    public static Optional<Negotiated> negotiate(String accept, EndpointRestrictions endpoint) {
        if (accept == null || accept.isEmpty()) {
            return Optional.of(Negotiated.JSON);
        }
        for (AcceptHeader.Clause clause : AcceptHeader.of(accept).clauses()) {
            for (MediaType media : OFFERED) {
                boolean matches = clause.type().equals(media.type()) && clause.subType().equals(media.subType())
                        || clause.type().equals(media.type()) && clause.subType().equals("*")
                        || clause.type().equals("*") && clause.subType().equals("*");
                if (matches) {
                    Optional<Negotiated> accepted = accept(clause.params(), media, endpoint);
                    if (accepted.isPresent()) {
                        return accepted;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** As {@link #negotiate}, or the real server's 406 NotAcceptable listing the media types it writes. */
    public static Negotiated negotiateOrFail(String accept, EndpointRestrictions endpoint) {
        return negotiate(accept, endpoint).orElseThrow(ContentNegotiation::notAcceptable);
    }

    /**
     * The media type of a watch stream (JSON or protobuf), or the real server's 406 listing the stream media types
     * (a YAML watch is refused so).
     */
    public static MediaType negotiateStream(String accept, EndpointRestrictions endpoint) {
        Optional<Negotiated> negotiated = negotiate(accept, endpoint);
        if (negotiated.isEmpty() || !negotiated.get().media().streams()) {
            List<String> types = new ArrayList<>();
            for (MediaType m : OFFERED) {
                if (m.streams()) {
                    types.add(m.contentType() + ";stream=watch");
                }
            }
            throw StatusException.notAcceptable(types);
        }
        return negotiated.get().media();
    }

    /** 406 with every media type the server writes. */
    public static StatusException notAcceptable() {
        List<String> types = new ArrayList<>();
        for (MediaType m : OFFERED) {
            types.add(m.contentType());
        }
        return StatusException.notAcceptable(types);
    }

    /** The clause's parameters for this media type, or empty when the endpoint cannot serve them. */
    private static Optional<Negotiated> accept(Map<String, String> params, MediaType media, EndpointRestrictions endpoint) {
        String kind = null;
        String group = null;
        String version = null;
        boolean pretty = false;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String v = p.getValue();
            switch (p.getKey()) {
                case "as" -> kind = v;
                case "g" -> group = v;
                case "v" -> version = v;
                case "stream" -> {
                    if (!v.isEmpty() && (!media.streams() || !endpoint.allowsStreamSchema(v))) {
                        return Optional.empty();
                    }
                }
                case "sv" -> {
                    if (!v.isEmpty() && !endpoint.allowsServerVersion(v)) {
                        return Optional.empty();
                    }
                }
                case "pretty" -> pretty = v.equals("1");
                default -> {
                    // export and unknown parameters change nothing
                }
            }
        }
        Conversion conversion = kind == null && group == null && version == null ? null
                : new Conversion(kind == null ? "" : kind, group == null ? "" : group, version == null ? "" : version);
        if (!endpoint.allowsMediaTypeTransform(media, conversion)) {
            return Optional.empty();
        }
        return Optional.of(new Negotiated(media, conversion, pretty));
    }
}
