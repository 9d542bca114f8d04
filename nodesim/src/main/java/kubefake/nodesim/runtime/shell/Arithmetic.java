package kubefake.nodesim.runtime.shell;

import java.util.Map;

/**
 * {@code $((...))}: C's integer expressions on 64-bit values, as the shells evaluate them: numbers (decimal, 0x hex,
 * leading-0 octal), variables (unset or empty: 0), unary {@code - + ! ~}, {@code ++}/{@code --}, binary operators
 * from {@code **} down to {@code ||}, {@code ?:} and the assignments ({@code = += -=} ...).
 */
final class Arithmetic {
    /** An expression that cannot be evaluated: {@code message} as the shell words it, {@code divide} for 1/0. */
    static final class Failure extends RuntimeException {
        final boolean divide;

        Failure(String message, boolean divide) {
            super(message, null, false, false);
            this.divide = divide;
        }
    }

    private final String text;
    private final Map<String, String> vars;
    private int pos;

    private Arithmetic(String text, Map<String, String> vars) {
        this.text = text;
        this.vars = vars;
    }

    /** The value of {@code text}; assignments in it change {@code vars}. */
    static long evaluate(String text, Map<String, String> vars) {
        Arithmetic a = new Arithmetic(text, vars);
        a.skip();
        if (a.pos >= text.length()) return 0;
        long v = a.assignment();
        a.skip();
        if (a.pos < text.length()) throw new Failure("syntax error", false);
        return v;
    }

    private void skip() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private boolean eat(String op) {
        skip();
        if (!text.startsWith(op, pos)) return false;
        // "<" must not take the start of "<<" or "<=", "&" of "&&", "*" of "**" and so on
        int end = pos + op.length();
        if (end < text.length()) {
            char n = text.charAt(end);
            if (op.length() == 1 && "<>&|*=".indexOf(op.charAt(0)) >= 0 && (n == op.charAt(0) || n == '=') && !op.equals("=")) return false;
            if (op.equals("=") && n == '=') return false;
            if ((op.equals("<<") || op.equals(">>") || op.equals("**")) && n == '=') return false;
            if (op.equals("!") && n == '=') return false;
        }
        pos = end;
        return true;
    }

    private long assignment() {
        skip();
        int start = pos;
        String name = name();
        if (name != null) {
            skip();
            for (String op : new String[] {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="}) {
                if (text.startsWith(op, pos) && !(op.equals("=") && text.startsWith("==", pos))) {
                    pos += op.length();
                    long right = assignment();
                    long v = op.equals("=") ? right : binary(op.substring(0, op.length() - 1), value(name), right);
                    vars.put(name, Long.toString(v));
                    return v;
                }
            }
        }
        pos = start;
        return conditional();
    }

    private long conditional() {
        long c = binaryLevel(0);
        if (eat("?")) {
            long a = assignment();
            if (!eat(":")) throw new Failure("syntax error", false);
            long b = assignment();
            return c != 0 ? a : b;
        }
        return c;
    }

    private static final String[][] LEVELS = {
            {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

    private long binaryLevel(int level) {
        if (level == LEVELS.length) return power();
        long left = binaryLevel(level + 1);
        while (true) {
            String found = null;
            for (String op : LEVELS[level]) {
                if (eat(op)) {
                    found = op;
                    break;
                }
            }
            if (found == null) return left;
            long right = binaryLevel(level + 1);
            left = binary(found, left, right);
        }
    }

    private long power() {
        long base = unary();
        if (eat("**")) {
            long exp = power();
            long r = 1;
            for (long i = 0; i < exp; i++) r *= base;
            return r;
        }
        return base;
    }

    private static long binary(String op, long a, long b) {
        return switch (op) {
            case "||" -> a != 0 || b != 0 ? 1 : 0;
            case "&&" -> a != 0 && b != 0 ? 1 : 0;
            case "|" -> a | b;
            case "^" -> a ^ b;
            case "&" -> a & b;
            case "==" -> a == b ? 1 : 0;
            case "!=" -> a != b ? 1 : 0;
            case "<=" -> a <= b ? 1 : 0;
            case ">=" -> a >= b ? 1 : 0;
            case "<" -> a < b ? 1 : 0;
            case ">" -> a > b ? 1 : 0;
            case "<<" -> a << b;
            case ">>" -> a >> b;
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/", "%" -> {
                if (b == 0) throw new Failure("division by zero", true);
                yield op.equals("/") ? a / b : a % b;
            }
            default -> throw new Failure("syntax error", false);
        };
    }

    private long unary() {
        skip();
        if (text.startsWith("++", pos) || text.startsWith("--", pos)) {
            boolean up = text.charAt(pos) == '+';
            pos += 2;
            skip();
            String name = name();
            if (name == null) throw new Failure("syntax error", false);
            long v = value(name) + (up ? 1 : -1);
            vars.put(name, Long.toString(v));
            return v;
        }
        if (eat("!")) return unary() == 0 ? 1 : 0;
        if (eat("~")) return ~unary();
        if (eat("-")) return -unary();
        if (eat("+")) return unary();
        return primary();
    }

    private long primary() {
        skip();
        if (eat("(")) {
            long v = assignment();
            if (!eat(")")) throw new Failure("syntax error", false);
            return v;
        }
        String name = name();
        if (name != null) {
            skip();
            if (text.startsWith("++", pos) || text.startsWith("--", pos)) {
                long v = value(name);
                vars.put(name, Long.toString(v + (text.charAt(pos) == '+' ? 1 : -1)));
                pos += 2;
                return v;
            }
            return value(name);
        }
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) pos++;
        if (start == pos) throw new Failure("syntax error", false);
        return number(text.substring(start, pos));
    }

    private String name() {
        int start = pos;
        if (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
            return text.substring(start, pos);
        }
        return null;
    }

    private long value(String name) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) return 0;
        v = v.trim();
        try {
            return number(v);
        } catch (Failure e) {
            return evaluate(v, vars);
        }
    }

    private static long number(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) return Long.parseLong(s.substring(2), 16);
            if (s.length() > 1 && s.startsWith("0")) return Long.parseLong(s.substring(1), 8);
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new Failure("syntax error", false);
        }
    }
}
