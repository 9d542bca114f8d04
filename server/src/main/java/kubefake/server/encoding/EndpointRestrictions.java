package kubefake.server.encoding;

/**
 * What an endpoint can serve, consulted for each Accept clause (apiserver's {@code negotiation.EndpointRestrictions}):
 * a clause the endpoint cannot serve is skipped for the client's next choice.
 */
@FunctionalInterface
public interface EndpointRestrictions {

    /** Whether the endpoint serves {@code media}, converted as asked ({@code conversion} null: not converted). */
    boolean allowsMediaTypeTransform(MediaType media, Conversion conversion);

    /** The {@code sv} parameter: the server version of the endpoint's meta group (none but resources have one). */
    default boolean allowsServerVersion(String version) {
        return false;
    }

    /** The {@code stream} parameter: only "watch" is a stream schema. */
    default boolean allowsStreamSchema(String schema) {
        return schema.equals("watch");
    }

    /** Errors and other plain objects: any media type, no conversion. */
    EndpointRestrictions DEFAULT = (media, conversion) -> conversion == null;
}
