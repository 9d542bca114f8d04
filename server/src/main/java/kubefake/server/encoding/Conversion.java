package kubefake.server.encoding;

/**
 * What an Accept clause's {@code as}, {@code g} and {@code v} parameters ask the object to be turned into, e.g.
 * {@code as=Table;g=meta.k8s.io;v=v1}. Missing parameters are empty, as on the real server.
 */
public record Conversion(String kind, String group, String version) {

    /** True for a kind of meta.k8s.io v1 or v1beta1 (Table, PartialObjectMetadata, PartialObjectMetadataList). */
    public boolean isMeta(String metaKind) {
        return kind.equals(metaKind) && group.equals("meta.k8s.io") && (version.equals("v1") || version.equals("v1beta1"));
    }

    /** group/version as in an apiVersion. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
