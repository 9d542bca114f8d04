package kubefake.server.encoding;

/**
 * The media types the API server serializes to, in the order it offers them (a {@code *}/{@code *} clause picks the
 * first): JSON, YAML and Kubernetes protobuf. JSON and protobuf also stream watch events.
 */
public enum MediaType {
    JSON("application", "json", "application/json", "application/json"),
    YAML("application", "yaml", "application/yaml", null),
    PROTOBUF("application", "vnd.kubernetes.protobuf", "application/vnd.kubernetes.protobuf",
            "application/vnd.kubernetes.protobuf;stream=watch");

    private final String type;
    private final String subType;
    private final String contentType;
    private final String streamContentType;

    MediaType(String type, String subType, String contentType, String streamContentType) {
        this.type = type;
        this.subType = subType;
        this.contentType = contentType;
        this.streamContentType = streamContentType;
    }

    public String type() {
        return type;
    }

    public String subType() {
        return subType;
    }

    /** The Content-Type of a response in this media type. */
    public String contentType() {
        return contentType;
    }

    /** The Content-Type of a watch stream in this media type (JSON's is plain application/json), or null. */
    public String streamContentType() {
        return streamContentType;
    }

    public boolean streams() {
        return streamContentType != null;
    }
}
