package kubefake.store.registry.selection;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** TEMPORARY stub until the registry-rules branch lands. */
public final class LabelSelector {
    private record Req(String key, String op, List<String> values) {}

    private final List<Req> reqs;

    private LabelSelector(List<Req> reqs) { this.reqs = reqs; }

    public static LabelSelector parse(String s) {
        List<Req> out = new ArrayList<>();
        if (s == null || s.isBlank()) return new LabelSelector(out);
        for (String part : s.split(",(?![^()]*\\))")) {
            part = part.trim();
            if (part.matches("[^\\s]+\\s+(in|notin)\\s*\\(.*\\)")) {
                String[] kv = part.split("\\s+", 3);
                String vals = part.substring(part.indexOf('(') + 1, part.lastIndexOf(')'));
                List<String> vs = new ArrayList<>();
                for (String v : vals.split(",")) vs.add(v.trim());
                out.add(new Req(kv[0], kv[1], vs));
            } else if (part.contains("!=")) {
                String[] kv = part.split("!=", 2);
                out.add(new Req(kv[0].trim(), "!=", List.of(kv[1].trim())));
            } else if (part.contains("==")) {
                String[] kv = part.split("==", 2);
                out.add(new Req(kv[0].trim(), "=", List.of(kv[1].trim())));
            } else if (part.contains("=")) {
                String[] kv = part.split("=", 2);
                out.add(new Req(kv[0].trim(), "=", List.of(kv[1].trim())));
            } else if (part.startsWith("!")) {
                out.add(new Req(part.substring(1).trim(), "!", List.of()));
            } else {
                out.add(new Req(part, "exists", List.of()));
            }
        }
        return new LabelSelector(out);
    }

    public boolean isEmpty() { return reqs.isEmpty(); }

    public boolean matches(Map<String, String> labels) {
        for (Req r : reqs) {
            String v = labels.get(r.key);
            boolean ok = switch (r.op) {
                case "=" -> r.values.get(0).equals(v);
                case "!=" -> !r.values.get(0).equals(v);
                case "in" -> v != null && r.values.contains(v);
                case "notin" -> v == null || !r.values.contains(v);
                case "!" -> v == null;
                default -> v != null;
            };
            if (!ok) return false;
        }
        return true;
    }

    public boolean matches(JsonNode labels) {
        Map<String, String> m = new HashMap<>();
        if (labels != null) labels.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return matches(m);
    }
}
