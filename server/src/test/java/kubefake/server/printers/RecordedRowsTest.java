package kubefake.server.printers;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recomputes the cells of every recorded Table row whose object is known (the row's own object
 * when the table was asked with {@code includeObject=Object}, else the same object, by uid, from
 * the recorded {@code kubectl get -o yaml} outputs) and compares them with what the real server
 * sent. A table's rows were printed at one instant: the test derives candidate instants from the
 * recorded ages and the objects' timestamps, and requires one of them to reproduce every cell of
 * every row exactly, ages included.
 */
class RecordedRowsTest {

    private static final Map<String, ObjectNode> YAML_OBJECTS = Reference.yamlObjectsByUid();
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final Pattern AGE = Pattern.compile("\\b(\\d+y)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?\\b");

    /** A recorded row and the full object it shows. */
    record KnownRow(ObjectNode object, JsonNode cells) {
    }

    static List<Reference.RecordedTable> tablesWithKnownRows() {
        return Reference.tables().stream().filter(t -> !knownRows(t).isEmpty()).toList();
    }

    @Test
    void manyRecordedRowsAreChecked() {
        int rows = tablesWithKnownRows().stream().mapToInt(t -> knownRows(t).size()).sum();
        assertTrue(rows >= 100, "recorded rows with a known object: " + rows);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tablesWithKnownRows")
    void cellsAreTheRealServers(Reference.RecordedTable recorded) {
        TablePrinter printer = TablePrinters.forResource(recorded.group(), recorded.resource());
        List<KnownRow> rows = knownRows(recorded);
        String bestDiff = null;
        int bestMismatches = Integer.MAX_VALUE;
        for (Instant now : candidateInstants(rows)) {
            List<String> mismatches = new ArrayList<>();
            for (KnownRow row : rows) {
                String got = json(printer.cells(row.object(), now));
                String want = json(row.cells());
                if (!got.equals(want)) {
                    mismatches.add("\n  want " + want + "\n  got  " + got);
                }
            }
            if (mismatches.isEmpty()) {
                return;
            }
            if (mismatches.size() < bestMismatches) {
                bestMismatches = mismatches.size();
                bestDiff = "at " + now + ":" + String.join("", mismatches);
            }
        }
        fail(recorded + ": no instant reproduces every row; closest " + bestDiff);
    }

    private static List<KnownRow> knownRows(Reference.RecordedTable recorded) {
        boolean defaultTable = !TablePrinters.hasPrinter(recorded.group(), recorded.resource());
        List<KnownRow> rows = new ArrayList<>();
        for (JsonNode row : recorded.table().path("rows")) {
            ObjectNode object = (ObjectNode) row.path("object");
            ObjectNode full = null;
            if (!object.path("kind").asText().equals("PartialObjectMetadata")) {
                full = object;
            } else if (defaultTable) {
                full = object; // the default table needs nothing but metadata
            } else if (YAML_OBJECTS.containsKey(object.path("metadata").path("uid").asText())) {
                full = YAML_OBJECTS.get(object.path("metadata").path("uid").asText());
                if (recorded.group().equals("events.k8s.io")) {
                    full = EventsV1.fromCoreEvent(full);
                }
            }
            if (full != null) {
                rows.add(new KnownRow(full, row.path("cells")));
            }
        }
        return rows;
    }

    /**
     * Instants at which some timestamp of some row's object is exactly some recorded age old. The
     * latest lower bound of the true instant is among them.
     */
    private static TreeSet<Instant> candidateInstants(List<KnownRow> rows) {
        TreeSet<Instant> timestamps = new TreeSet<>();
        TreeSet<Duration> ages = new TreeSet<>();
        for (KnownRow row : rows) {
            collectTimestamps(row.object(), timestamps);
            for (JsonNode cell : row.cells()) {
                Matcher m = AGE.matcher(cell.asText());
                while (m.find()) {
                    if (!m.group().isEmpty()) {
                        ages.add(parseAge(m));
                    }
                }
            }
        }
        TreeSet<Instant> candidates = new TreeSet<>();
        for (Instant timestamp : timestamps) {
            for (Duration age : ages) {
                candidates.add(timestamp.plus(age));
            }
        }
        if (candidates.isEmpty()) {
            candidates.add(Instant.now()); // nothing time-dependent in these cells
        }
        return candidates;
    }

    private static void collectTimestamps(JsonNode node, TreeSet<Instant> into) {
        if (node.isTextual() && TIMESTAMP.matcher(node.asText()).matches()) {
            into.add(Instant.parse(node.asText()));
        }
        node.forEach(child -> collectTimestamps(child, into));
    }

    private static Duration parseAge(Matcher m) {
        Duration d = Duration.ZERO;
        long[] unitSeconds = {365 * 86400L, 86400, 3600, 60, 1};
        for (int group = 1; group <= 5; group++) {
            String part = m.group(group);
            if (part != null) {
                d = d.plusSeconds(Long.parseLong(part.substring(0, part.length() - 1)) * unitSeconds[group - 1]);
            }
        }
        return d;
    }

    private static String json(Object value) {
        try {
            return Reference.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
