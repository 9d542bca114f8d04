package kubefake.server.encoding;

/**
 * The outcome of content negotiation: the media type to write, the conversion asked for (null: the object as it is),
 * and whether the chosen clause asked for pretty output ({@code pretty=1}).
 */
public record Negotiated(MediaType media, Conversion conversion, boolean prettyParameter) {

    /** What a request without an Accept header gets: JSON, the object as it is. */
    public static final Negotiated JSON = new Negotiated(MediaType.JSON, null, false);

    /** True when the chosen clause asked for this meta.k8s.io kind (Table, PartialObjectMetadata...). */
    public boolean converts(String metaKind) {
        return conversion != null && conversion.isMeta(metaKind);
    }
}
