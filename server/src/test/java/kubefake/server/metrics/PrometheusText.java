package kubefake.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format 0.0.4 (what Prometheus scrapes): HELP and TYPE lines, samples
 * {@code name{label="value",...} value [timestamp]} with the format's escapes; every sample must belong to a family
 * declared by a TYPE line before it (with _bucket/_sum/_count for histograms and summaries); anything else fails.
 */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final Map<String, String> help = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("the text does not end with a newline");
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty()) continue;
            Matcher m;
            if (line.startsWith("#")) {
                if ((m = HELP.matcher(line)).matches()) {
                    p.help.put(m.group(1), m.group(2));
                } else if ((m = TYPE.matcher(line)).matches()) {
                    if (p.types.put(m.group(1), m.group(2)) != null) fail(lineNo, line, "a second TYPE for " + m.group(1));
                } else if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                    fail(lineNo, line, "malformed HELP or TYPE line");
                }
                continue;
            }
            if (!(m = SAMPLE.matcher(line)).matches()) fail(lineNo, line, "not a sample");
            String name = m.group(1);
            if (p.family(name) == null) fail(lineNo, line, "no TYPE declared for " + name);
            Map<String, String> labels = new LinkedHashMap<>();
            String body = m.group(3);
            if (body != null && !body.isEmpty()) {
                Matcher l = LABEL.matcher(body);
                int at = 0;
                while (at < body.length()) {
                    if (!l.find(at) || l.start() != at) fail(lineNo, line, "malformed labels at " + body.substring(at));
                    String value = l.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
                    if (labels.put(l.group(1), value) != null) fail(lineNo, line, "label " + l.group(1) + " twice");
                    at = l.end();
                }
            }
            p.samples.add(new Sample(name, labels, value(lineNo, line, m.group(4))));
        }
        return p;
    }

    /** The declared family a sample name belongs to, or null. */
    String family(String sample) {
        if (types.containsKey(sample)) return sample;
        for (String suffix : List.of("_bucket", "_sum", "_count", "_total", "_created")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if (type != null && (suffix.equals("_total") ? type.equals("counter") : !type.equals("gauge"))) return base;
            }
        }
        return null;
    }

    private static double value(int lineNo, String line, String v) {
        switch (v) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default:
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    fail(lineNo, line, "not a number: " + v);
                    return 0;
                }
        }
    }

    private static void fail(int lineNo, String line, String why) {
        throw new IllegalArgumentException("line " + lineNo + ": " + why + ": " + line);
    }

    /** The samples of that name whose labels include all of {@code match}. */
    List<Sample> find(String name, Map<String, String> match) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet())).toList();
    }

    /** The one sample of that name with exactly these labels' values (among its others), or 0 when there is none yet. */
    double value(String name, Map<String, String> match) {
        List<Sample> found = find(name, match);
        if (found.size() > 1) throw new IllegalStateException(found.size() + " samples of " + name + " match " + match);
        return found.isEmpty() ? 0 : found.get(0).value();
    }
}
