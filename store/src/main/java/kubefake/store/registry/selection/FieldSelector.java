package kubefake.store.registry.selection;

import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A field selector ({@code ?fieldSelector=metadata.name=x,status.phase!=Running}): the AND of equality and
 * inequality terms over field paths, with apimachinery's escaping rules ({@code \,} {@code \=} {@code \\} in
 * values). Which fields a resource supports is checked by {@link FieldLabels}.
 */
public final class FieldSelector {

    /** One term: {@code field=value} or {@code field!=value}. */
    public record Requirement(String field, boolean equals, String value) {

        /** The term in query syntax with its value escaped. */
        @Override
        public String toString() {
            return field + (equals ? "=" : "!=") + escapeValue(value);
        }
    }

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private static final String[] TERM_OPERATORS = {"!=", "==", "="};

    private final List<Requirement> requirements;

    private FieldSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /** The selector that matches every object. */
    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /** A selector from explicit terms. */
    public static FieldSelector of(List<Requirement> requirements) {
        return new FieldSelector(requirements);
    }

    /**
     * Parses the query syntax.
     *
     * @throws StatusException 400 BadRequest with the message of apimachinery's {@code fields.ParseSelector}
     */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<String> parts = splitTerms(selector);
        Collections.sort(parts);
        List<Requirement> reqs = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            String[] term = splitTerm(part);
            if (term == null) {
                throw StatusException.badRequest(
                        "invalid selector: '" + selector + "'; can't understand '" + part + "'");
            }
            String value = unescapeValue(term[2]);
            reqs.add(new Requirement(term[0], !term[1].equals("!="), value));
        }
        return new FieldSelector(reqs);
    }

    /** Splits on commas that are not escaped by a backslash. */
    private static List<String> splitTerms(String s) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(s.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(s.substring(start));
        return terms;
    }

    /** The first operator found scanning left to right: {@code [lhs, op, rhs]}, or null. */
    private static String[] splitTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : TERM_OPERATORS) {
                if (term.startsWith(op, i)) {
                    return new String[]{term.substring(0, i), op, term.substring(i + op.length())};
                }
            }
        }
        return null;
    }

    private static String unescapeValue(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                if (c == '\\' || c == ',' || c == '=') {
                    b.append(c);
                    inSlash = false;
                    continue;
                }
                throw StatusException.badRequest(
                        "invalid field selector: invalid escape sequence: \\" + c);
            }
            switch (c) {
                case '\\' -> inSlash = true;
                // Go prints the rune with %v, that is as its number.
                case ',', '=' -> throw StatusException.badRequest(
                        "invalid field selector: unescaped character in value: " + (int) c);
                default -> b.append(c);
            }
        }
        if (inSlash) {
            throw StatusException.badRequest("invalid field selector: invalid escape sequence: \\");
        }
        return b.toString();
    }

    /** Escapes a value for use in a selector string. */
    public static String escapeValue(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }

    /** The terms, sorted as the Go parser sorts them. */
    public List<Requirement> requirements() {
        return requirements;
    }

    /** True when the selector has no term. */
    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /** A selector whose field names are rewritten (e.g. {@code spec.host} to {@code spec.nodeName}). */
    public FieldSelector transformFields(UnaryOperator<String> rename) {
        List<Requirement> out = new ArrayList<>();
        for (Requirement r : requirements) {
            out.add(new Requirement(rename.apply(r.field()), r.equals(), r.value()));
        }
        return new FieldSelector(out);
    }

    /**
     * Whether an object matches; {@code fieldValues} gives a field's value, null for a field the object does
     * not have (compared as the empty string, like Go's {@code fields.Set}).
     */
    public boolean matches(Function<String, String> fieldValues) {
        for (Requirement r : requirements) {
            String v = fieldValues.apply(r.field());
            boolean same = (v == null ? "" : v).equals(r.value());
            if (same != r.equals()) {
                return false;
            }
        }
        return true;
    }

    /** The single value the selector requires for a field with {@code =}, or null. */
    public String requiresExactMatch(String field) {
        for (Requirement r : requirements) {
            if (r.field().equals(field) && r.equals()) {
                return r.value();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Requirement r : requirements) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r);
        }
        return b.toString();
    }
}
