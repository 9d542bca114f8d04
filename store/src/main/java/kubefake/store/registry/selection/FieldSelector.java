package kubefake.store.registry.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** TEMPORARY stub until the registry-rules branch lands. */
public final class FieldSelector {
    public record Requirement(String field, String operator, String value) {}

    private final List<Requirement> reqs;

    private FieldSelector(List<Requirement> reqs) { this.reqs = reqs; }

    public static FieldSelector parse(String s) {
        List<Requirement> out = new ArrayList<>();
        if (s != null && !s.isBlank()) {
            for (String part : s.split(",")) {
                if (part.contains("!=")) {
                    String[] kv = part.split("!=", 2);
                    out.add(new Requirement(kv[0].trim(), "!=", kv[1].trim()));
                } else {
                    String[] kv = part.split("==?", 2);
                    if (kv.length != 2) throw new IllegalArgumentException("invalid selector: '" + s + "'; can't understand '" + part + "'");
                    out.add(new Requirement(kv[0].trim(), "=", kv[1].trim()));
                }
            }
        }
        return new FieldSelector(out);
    }

    public List<Requirement> requirements() { return reqs; }

    public boolean isEmpty() { return reqs.isEmpty(); }

    public boolean matches(Function<String, String> fields) {
        for (Requirement r : reqs) {
            String v = fields.apply(r.field());
            if (v == null) v = "";
            boolean eq = v.equals(r.value());
            if (r.operator().equals("!=") == eq) return false;
        }
        return true;
    }
}
