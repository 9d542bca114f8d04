package kubefake.server.encoding;

/**
 * Whether a request gets indented JSON, as the API server decides it ({@code negotiation.isPrettyPrint}): the
 * {@code pretty} query parameter when it is there (read as Go's {@code strconv.ParseBool}; anything else means no),
 * otherwise a User-Agent of a person's tool: starting with {@code curl}, {@code Wget} or {@code Mozilla/5.0}.
 * An Accept clause's {@code pretty=1} asks for it too (see {@link Negotiated#prettyParameter}).
 */
public final class PrettyPrint {
    private PrettyPrint() {
    }

    /** @param prettyParameter the first {@code pretty} query value, or null; @param userAgent the header or null */
    public static boolean requested(String prettyParameter, String userAgent) {
        if (prettyParameter != null && !prettyParameter.isEmpty()) {
            return switch (prettyParameter) {
                case "1", "t", "T", "TRUE", "true", "True" -> true;
                default -> false;
            };
        }
        return userAgent != null
                && (userAgent.startsWith("curl") || userAgent.startsWith("Wget") || userAgent.startsWith("Mozilla/5.0"));
    }
}
