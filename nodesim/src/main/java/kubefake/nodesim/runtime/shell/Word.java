package kubefake.nodesim.runtime.shell;

import java.util.List;

/**
 * A shell word as written: literal text and the expansions in it, each part marked quoted or not (quoted parts are
 * neither split into fields nor matched against files).
 */
record Word(List<Part> parts) {
    sealed interface Part {
        boolean quoted();
    }

    /** Text as written, quotes removed. */
    record Literal(String text, boolean quoted) implements Part {
    }

    /**
     * {@code $name}, {@code ${name}}, {@code ${name op arg}} ({@code op}: {@code :-}, {@code -}, {@code :=},
     * {@code =}, {@code :+}, {@code +}, {@code :?}, {@code ?}, {@code #}, {@code ##}, {@code %}, {@code %%}, or
     * {@code length} for {@code ${#name}}); op and arg null for a plain one.
     */
    record Parameter(String name, String op, Word arg, boolean quoted) implements Part {
    }

    /** {@code $(...)} or backticks. */
    record Command(Node body, boolean quoted) implements Part {
    }

    /** {@code $((...))}: its text, expanded, is evaluated. */
    record Arithmetic(Word expression, boolean quoted) implements Part {
    }

    /** The word's text when it is plain literal text (a reserved word, a function's name), else null. */
    String plain() {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (!(p instanceof Literal l) || l.quoted()) return null;
            b.append(l.text());
        }
        return b.toString();
    }
}
