package kubefake.store.registry.patch;

import java.util.List;
import java.util.Locale;

/** The PATCH content types of the Kubernetes API, in the order the real server lists them. */
public enum PatchType {
    /** RFC 6902 operations ({@code kubectl patch --type=json}, {@code rollout undo}). */
    JSON("application/json-patch+json"),
    /** RFC 7386 merge patch ({@code label}, {@code annotate}, {@code scale}, custom resources). */
    MERGE("application/merge-patch+json"),
    /** Kubernetes' strategic merge patch ({@code apply}, {@code edit}, {@code patch}, {@code set image}). */
    STRATEGIC("application/strategic-merge-patch+json"),
    /** Server-side apply ({@code apply --server-side}): kubefake.store.fieldmanager, not these engines. */
    APPLY_YAML("application/apply-patch+yaml");

    /** What built-in resources accept. */
    public static final List<PatchType> BUILT_IN = List.of(JSON, MERGE, STRATEGIC, APPLY_YAML);
    /** What custom resources accept: no strategic merge patch, as there are no patch strategies to read. */
    public static final List<PatchType> CUSTOM_RESOURCE = List.of(JSON, MERGE, APPLY_YAML);

    private final String contentType;

    PatchType(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The type named by a Content-Type header (parameters such as {@code ;charset=} ignored), or null. */
    public static PatchType fromContentType(String header) {
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        String bare = (semicolon >= 0 ? header.substring(0, semicolon) : header).trim().toLowerCase(Locale.ROOT);
        for (PatchType type : values()) {
            if (type.contentType.equals(bare)) {
                return type;
            }
        }
        return null;
    }
}
