package kubefake.store.registry.selection;

import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.validation.Formats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The recursive-descent parser of the label selector query syntax, mirroring the lexer and grammar of
 * apimachinery's {@code labels.Parse} so that malformed selectors fail with the same messages.
 */
final class LabelSelectorParser {

    /** A parse failure; its message is what the server returns in the 400 Status. */
    static final class ParseError extends Exception {
        private static final long serialVersionUID = 1L;

        ParseError(String message) {
            super(message);
        }
    }

    private enum Tok {
        ERROR, END, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
        LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    private record Item(Tok tok, String literal) {
    }

    private static final Map<String, Tok> KEYWORDS = Map.ofEntries(
            Map.entry(")", Tok.CLOSED_PAR), Map.entry(",", Tok.COMMA), Map.entry("!", Tok.DOES_NOT_EXIST),
            Map.entry("==", Tok.DOUBLE_EQUALS), Map.entry("=", Tok.EQUALS), Map.entry(">", Tok.GREATER_THAN),
            Map.entry("in", Tok.IN), Map.entry("<", Tok.LESS_THAN), Map.entry("!=", Tok.NOT_EQUALS),
            Map.entry("notin", Tok.NOT_IN), Map.entry("(", Tok.OPEN_PAR));

    /** The binary operators in the order Go lists them in "expected:" messages. */
    private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

    private final String input;
    private int pos;
    private final List<Item> items = new ArrayList<>();
    private int position;

    LabelSelectorParser(String input) {
        this.input = input;
    }

    // ---- lexer ----

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    private Item lex() {
        while (pos < input.length() && isWhitespace(input.charAt(pos))) {
            pos++;
        }
        if (pos >= input.length()) {
            return new Item(Tok.END, "");
        }
        return isSpecial(input.charAt(pos)) ? scanSpecial() : scanIdOrKeyword();
    }

    private Item scanIdOrKeyword() {
        int start = pos;
        while (pos < input.length() && !isSpecial(input.charAt(pos)) && !isWhitespace(input.charAt(pos))) {
            pos++;
        }
        String s = input.substring(start, pos);
        Tok t = KEYWORDS.get(s);
        return t != null ? new Item(t, s) : new Item(Tok.IDENTIFIER, s);
    }

    private Item scanSpecial() {
        StringBuilder buffer = new StringBuilder();
        Item last = null;
        while (pos < input.length() && isSpecial(input.charAt(pos))) {
            buffer.append(input.charAt(pos));
            pos++;
            Tok t = KEYWORDS.get(buffer.toString());
            if (t != null) {
                last = new Item(t, buffer.toString());
            } else if (last != null) {
                pos--;
                break;
            }
        }
        if (last == null) {
            return new Item(Tok.ERROR, "error expected: keyword found '" + buffer + "'");
        }
        return last;
    }

    // ---- parser ----

    private Item lookahead(boolean values) {
        return adjust(items.get(position), values);
    }

    private Item consume(boolean values) {
        return adjust(items.get(position++), values);
    }

    /** In a values context the keywords {@code in} and {@code notin} are plain identifiers. */
    private static Item adjust(Item item, boolean values) {
        if (values && (item.tok == Tok.IN || item.tok == Tok.NOT_IN)) {
            return new Item(Tok.IDENTIFIER, item.literal);
        }
        return item;
    }

    List<LabelRequirement> parse() throws ParseError {
        while (true) {
            Item it = lex();
            items.add(it);
            if (it.tok == Tok.END) {
                break;
            }
        }
        List<LabelRequirement> reqs = new ArrayList<>();
        while (true) {
            Item it = lookahead(true);
            switch (it.tok) {
                case IDENTIFIER, DOES_NOT_EXIST -> {
                    try {
                        reqs.add(parseRequirement());
                    } catch (ParseError e) {
                        throw new ParseError("unable to parse requirement: " + e.getMessage());
                    }
                    Item next = consume(true);
                    switch (next.tok) {
                        case END -> {
                            return reqs;
                        }
                        case COMMA -> {
                            Item t2 = lookahead(true);
                            if (t2.tok != Tok.IDENTIFIER && t2.tok != Tok.DOES_NOT_EXIST) {
                                throw new ParseError("found '" + t2.literal + "', expected: identifier after ','");
                            }
                        }
                        default -> throw new ParseError(
                                "found '" + next.literal + "', expected: ',' or 'end of string'");
                    }
                }
                case END -> {
                    return reqs;
                }
                default -> throw new ParseError(
                        "found '" + it.literal + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement parseRequirement() throws ParseError {
        Item it = consume(true);
        LabelRequirement.Operator op = null;
        if (it.tok == Tok.DOES_NOT_EXIST) {
            op = LabelRequirement.Operator.DOES_NOT_EXIST;
            it = consume(true);
        }
        if (it.tok != Tok.IDENTIFIER) {
            throw new ParseError("found '" + it.literal + "', expected: identifier");
        }
        String key = it.literal;
        List<String> keyMsgs = Formats.isQualifiedName(key);
        if (!keyMsgs.isEmpty()) {
            // Go validates with a nil field path, which prints as "<nil>".
            String body = FieldError.invalid(FieldPath.of(""), key, String.join("; ", keyMsgs)).body();
            throw new ParseError("<nil>: " + body);
        }
        Tok next = lookahead(true).tok;
        if (next == Tok.END || next == Tok.COMMA) {
            if (op != LabelRequirement.Operator.DOES_NOT_EXIST) {
                op = LabelRequirement.Operator.EXISTS;
            }
        }
        if (op == LabelRequirement.Operator.EXISTS || op == LabelRequirement.Operator.DOES_NOT_EXIST) {
            return LabelRequirement.create(key, op, List.of(), null);
        }
        op = parseOperator();
        TreeSet<String> values = switch (op) {
            case IN, NOT_IN -> parseValues();
            default -> parseExactValue();
        };
        return LabelRequirement.create(key, op, new ArrayList<>(values), null);
    }

    private LabelRequirement.Operator parseOperator() throws ParseError {
        Item it = consume(false);
        return switch (it.tok) {
            case IN -> LabelRequirement.Operator.IN;
            case EQUALS -> LabelRequirement.Operator.EQUALS;
            case DOUBLE_EQUALS -> LabelRequirement.Operator.DOUBLE_EQUALS;
            case GREATER_THAN -> LabelRequirement.Operator.GREATER_THAN;
            case LESS_THAN -> LabelRequirement.Operator.LESS_THAN;
            case NOT_IN -> LabelRequirement.Operator.NOT_IN;
            case NOT_EQUALS -> LabelRequirement.Operator.NOT_EQUALS;
            default -> throw new ParseError("found '" + it.literal + "', expected: " + BINARY_OPERATORS);
        };
    }

    private TreeSet<String> parseValues() throws ParseError {
        Item it = consume(true);
        if (it.tok != Tok.OPEN_PAR) {
            throw new ParseError("found '" + it.literal + "' expected: '('");
        }
        Item la = lookahead(true);
        switch (la.tok) {
            case IDENTIFIER, COMMA -> {
                TreeSet<String> s = parseIdentifiersList();
                if (consume(true).tok != Tok.CLOSED_PAR) {
                    throw new ParseError("found '" + la.literal + "', expected: ')'");
                }
                return s;
            }
            case CLOSED_PAR -> {
                consume(true);
                TreeSet<String> s = new TreeSet<>();
                s.add("");
                return s;
            }
            default -> throw new ParseError("found '" + la.literal + "', expected: ',', ')' or identifier");
        }
    }

    private TreeSet<String> parseIdentifiersList() throws ParseError {
        TreeSet<String> s = new TreeSet<>();
        while (true) {
            Item it = consume(true);
            switch (it.tok) {
                case IDENTIFIER -> {
                    s.add(it.literal);
                    Item t2 = lookahead(true);
                    switch (t2.tok) {
                        case COMMA -> {
                        }
                        case CLOSED_PAR -> {
                            return s;
                        }
                        default -> throw new ParseError("found '" + t2.literal + "', expected: ',' or ')'");
                    }
                }
                case COMMA -> {
                    if (s.isEmpty()) {
                        s.add("");
                    }
                    Tok t2 = lookahead(true).tok;
                    if (t2 == Tok.CLOSED_PAR) {
                        s.add("");
                        return s;
                    }
                    if (t2 == Tok.COMMA) {
                        s.add("");
                    }
                }
                default -> throw new ParseError("found '" + it.literal + "', expected: ',', or identifier");
            }
        }
    }

    private TreeSet<String> parseExactValue() throws ParseError {
        TreeSet<String> s = new TreeSet<>();
        Tok la = lookahead(true).tok;
        if (la == Tok.END || la == Tok.COMMA) {
            s.add("");
            return s;
        }
        Item it = consume(true);
        if (it.tok == Tok.IDENTIFIER) {
            s.add(it.literal);
            return s;
        }
        throw new ParseError("found '" + it.literal + "', expected: identifier");
    }
}
