package kubefake.server.api;

import java.util.Locale;

/**
 * What a GET asked for in its Accept header, as the real server negotiates it: a Table, PartialObjectMetadata(List),
 * YAML, or plain JSON. Protobuf is never produced: a client that also accepts JSON (kubectl always does) gets JSON.
 */
public enum OutputFormat {
    JSON, YAML, TABLE, PARTIAL_METADATA, PARTIAL_METADATA_LIST;

    public static OutputFormat negotiate(String accept) {
        if (accept == null || accept.isBlank()) return JSON;
        for (String clause : accept.split(",")) {
            String[] parts = clause.trim().split(";");
            if (parts.length == 0) continue; // a clause of only separators names no media type
            String media = parts[0].trim().toLowerCase(Locale.ROOT);
            String as = null;
            String g = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                if (kv.length != 2) continue;
                if (kv[0].equals("as")) as = kv[1];
                if (kv[0].equals("g")) g = kv[1];
            }
            if (as != null) {
                if (!"meta.k8s.io".equals(g) || !(media.equals("application/json") || media.equals("application/yaml"))) continue;
                switch (as) {
                    case "Table": return TABLE;
                    case "PartialObjectMetadata": return PARTIAL_METADATA;
                    case "PartialObjectMetadataList": return PARTIAL_METADATA_LIST;
                    default: continue;
                }
            }
            switch (media) {
                case "application/json", "*/*", "application/*", "application/json-patch+json",
                        "application/merge-patch+json", "application/strategic-merge-patch+json":
                    return JSON;
                case "application/yaml":
                    return YAML;
                default:
                    // protobuf or anything else we don't produce: try the next choice
            }
        }
        return JSON;
    }
}
