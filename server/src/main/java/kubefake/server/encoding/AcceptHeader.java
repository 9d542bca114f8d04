package kubefake.server.encoding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;

/**
 * An Accept header read as the API server reads it (goautoneg's {@code ParseAccept}): comma-separated clauses
 * {@code type/subtype;param=value}, each with a q-value (1 when absent, 0 when unreadable), ordered by q-value and
 * then concrete types before wildcards. Type names are case-sensitive; a clause without a subtype (other than
 * {@code *}) or with two slashes is ignored, and so is a parameter without exactly one {@code =}. The order of equal
 * clauses is kept (Go sorts short headers by insertion sort; a header of more than 12 clauses, which no client
 * sends, could be ordered differently there).
 */
record AcceptHeader(List<Clause> clauses) {

    /** One media range: type, subtype, q-value and the other parameters. */
    record Clause(String type, String subType, double q, Map<String, String> params) {
    }

    /** A number of slots, a power of two: more than the distinct Accept headers that a few clients send. */
    private static final int RECENT_SLOTS = 16;
    /** Headers read lately, by their hash: every request of a client sends the same few, read once each. */
    private static final AtomicReferenceArray<Read> RECENT = new AtomicReferenceArray<>(RECENT_SLOTS);
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private record Read(String header, AcceptHeader accept) {
    }

    /** As {@link #parse}, from the slot of a header read lately when it holds the same header. */
    static AcceptHeader of(String header) {
        int slot = header.hashCode() & (RECENT_SLOTS - 1);
        Read read = RECENT.get(slot);
        if (read != null && read.header().equals(header)) {
            return read.accept();
        }
        AcceptHeader accept = parse(header);
        RECENT.set(slot, new Read(header, accept));
        return accept;
    }

    static AcceptHeader parse(String header) {
        List<Clause> clauses = new ArrayList<>();
        for (String rawPart : header.split(",", -1)) {
            String part = trimSpaces(rawPart);
            String[] typeAndParams = part.split(";", 2);
            String range = typeAndParams[0];
            int slash = range.indexOf('/');
            String type;
            String subType;
            if (slash < 0) {
                type = trimSpaces(range);
                if (!type.equals("*")) {
                    continue;
                }
                subType = "*";
            } else {
                type = trimSpaces(range.substring(0, slash));
                String rest = range.substring(slash + 1);
                if (rest.isEmpty() && !type.equals("*")) {
                    continue;
                }
                if (rest.isEmpty()) {
                    subType = "*";
                } else {
                    if (rest.indexOf('/') >= 0) {
                        continue;
                    }
                    subType = trimSpaces(rest);
                }
            }
            double q = 1.0;
            Map<String, String> params = new HashMap<>();
            if (typeAndParams.length == 2) {
                for (String param : typeAndParams[1].split(";", -1)) {
                    // name=value; "name", "name=" and "name=a=b" are ignored, yet "name=a=" counts as "a" as in Go
                    int eq = param.indexOf('=');
                    String after = eq < 0 ? "" : param.substring(eq + 1);
                    int eq2 = after.indexOf('=');
                    if (after.isEmpty() || eq2 >= 0 && eq2 + 1 < after.length()) {
                        continue;
                    }
                    String value = eq2 < 0 ? after : after.substring(0, eq2);
                    String token = trimSpaces(param.substring(0, eq));
                    if (token.equals("q")) {
                        q = parseQ(value);
                    } else {
                        params.put(token, trimSpaces(value));
                    }
                }
            }
            clauses.add(new Clause(type, subType, q, Map.copyOf(params)));
        }
        insertionSort(clauses);
        return new AcceptHeader(List.copyOf(clauses));
    }

    /** goautoneg's order: a higher q first; else a concrete type before {@code *}; else a concrete subtype first. */
    private static boolean less(Clause a, Clause b) {
        if (a.q() > b.q()) {
            return true;
        }
        if (!a.type().equals("*") && b.type().equals("*")) {
            return true;
        }
        return !a.subType().equals("*") && b.subType().equals("*");
    }

    private static void insertionSort(List<Clause> clauses) {
        for (int i = 1; i < clauses.size(); i++) {
            for (int j = i; j > 0 && less(clauses.get(j), clauses.get(j - 1)); j--) {
                Clause c = clauses.get(j);
                clauses.set(j, clauses.get(j - 1));
                clauses.set(j - 1, c);
            }
        }
    }

    /** Go's {@code strconv.ParseFloat(v, 32)}, with 0 for anything it refuses. */
    private static double parseQ(String value) {
        if (value.isEmpty() || !DECIMAL.matcher(value).matches()) {
            return switch (value.toLowerCase(java.util.Locale.ROOT).replaceFirst("^[+]", "")) {
                case "inf", "infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> 0;
            };
        }
        return (float) Double.parseDouble(value);
    }

    /** goautoneg trims only spaces (not tabs). */
    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}
