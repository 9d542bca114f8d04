package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The small formatting rules shared by many printers (ages, label lists, container lists). */
final class Formats {

    static final String NONE = "<none>";
    static final String UNSET = "<unset>";
    static final String UNKNOWN = "<unknown>";

    private Formats() {
    }

    /** Time elapsed since {@code then}, {@code <unknown>} when there is no timestamp. */
    static String since(Instant then, Instant now) {
        return then == null ? UNKNOWN : HumanDuration.format(Duration.between(then, now));
    }

    /** The AGE cell: time since metadata.creationTimestamp. */
    static String age(JsonNode object, Instant now) {
        return since(Fields.time(object, "metadata", "creationTimestamp"), now);
    }

    /** The "Created At" cell of the default table: RFC 3339 in UTC, whole seconds. */
    static String createdAt(JsonNode object) {
        Instant created = Fields.time(object, "metadata", "creationTimestamp");
        Instant shown = created == null ? Instant.parse("0001-01-01T00:00:00Z") : created;
        return DateTimeFormatter.ISO_INSTANT.format(shown.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code labels.FormatLabels}: {@code k=v,k2=v2} sorted by key, or {@code <none>}. */
    static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return NONE;
        }
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** Container names and images of a pod spec, each comma-joined (the wide Containers/Images cells). */
    static List<String> containers(JsonNode podSpec) {
        List<JsonNode> containers = Fields.list(podSpec, "containers");
        String names = containers.stream().map(c -> Fields.text(c, "name")).collect(Collectors.joining(","));
        String images = containers.stream().map(c -> Fields.text(c, "image")).collect(Collectors.joining(","));
        return List.of(names, images);
    }

    /** The first {@code max} items, then {@code " + N more..."}; {@code <unset>} when empty. */
    static String listWithMore(List<String> items, int max) {
        if (items.isEmpty()) {
            return UNSET;
        }
        String shown = String.join(",", items.subList(0, Math.min(max, items.size())));
        return items.size() > max ? shown + " + " + (items.size() - max) + " more..." : shown;
    }

    /** Go's {@code %t}-like booleans printed as text by a few printers. */
    static String boolText(boolean value) {
        return value ? "True" : "False";
    }
}
