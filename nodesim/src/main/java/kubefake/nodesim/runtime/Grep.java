package kubefake.nodesim.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code grep} with the options BusyBox's and GNU's share and scripts use: a basic regular expression by default
 * ({@code ^root}, {@code a.*b}, {@code \(x\)}, {@code [[:digit:]]}), {@code -E} extended, {@code -F} fixed strings,
 * {@code -e PATTERN}, {@code -i}, {@code -v}, {@code -w}, {@code -x}, {@code -n}, {@code -c}, {@code -q}. Status 0 when a
 * line was selected, 1 when none was, 2 for a pattern that does not compile.
 */
final class Grep {
    /** What grep printed on stdout and stderr, and its status. */
    record Result(String output, String error, int status) {
    }

    private Grep() {
    }

    /** The file grep reads, when its operands name one (after the pattern), else null: it reads its stdin. */
    static String fileOperand(List<String> args) {
        List<String> operands = operands(args);
        boolean patternByOption = args.contains("-e") || args.stream().anyMatch(a -> a.startsWith("--regexp="));
        int skip = patternByOption ? 0 : 1;
        return operands.size() == skip + 1 ? operands.get(skip) : null;
    }

    /** grep's answer for {@code args} (options and the pattern; no file) over {@code input}. */
    /** GNU grep's long options that have a short form here, as that form's letter. */
    private static final java.util.Map<String, String> LONG_OPTIONS = java.util.Map.of("--extended-regexp", "E",
            "--fixed-strings", "F", "--ignore-case", "i", "--invert-match", "v", "--word-regexp", "w", "--line-regexp", "x",
            "--line-number", "n", "--count", "c", "--quiet", "q", "--silent", "q");

    static Result run(List<String> args, String input) {
        boolean extended = false;
        boolean fixed = false;
        boolean ignoreCase = false;
        boolean invert = false;
        boolean word = false;
        boolean whole = false;
        boolean numbers = false;
        boolean count = false;
        boolean quiet = false;
        String pattern = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-e") && i + 1 < args.size()) {
                pattern = args.get(++i);
            } else if (a.startsWith("--regexp=")) {
                pattern = a.substring("--regexp=".length());
            } else if (a.startsWith("-") && a.length() > 1) {
                // a long option as the letter of its short form (GNU grep's names); others (--color ...) change nothing
                String letters = a.startsWith("--") ? LONG_OPTIONS.getOrDefault(a, "") : a.substring(1);
                for (char c : letters.toCharArray()) {
                    switch (c) {
                        case 'E' -> extended = true;
                        case 'F' -> fixed = true;
                        case 'i' -> ignoreCase = true;
                        case 'v' -> invert = true;
                        case 'w' -> word = true;
                        case 'x' -> whole = true;
                        case 'n' -> numbers = true;
                        case 'c' -> count = true;
                        case 'q', 's' -> quiet |= c == 'q';
                        default -> { } // -r, -H, -h ...: no effect on one input
                    }
                }
            } else if (pattern == null) {
                pattern = a;
            }
        }
        if (pattern == null) return new Result("", "Usage: grep [OPTION]... PATTERNS [FILE]...\n", 2);
        Pattern compiled;
        try {
            String regex = fixed ? Pattern.quote(pattern) : extended ? posixClasses(pattern) : basicToJava(pattern);
            if (word) regex = "(?<![\\w])(?:" + regex + ")(?![\\w])";
            if (whole) regex = "^(?:" + regex + ")$";
            compiled = Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            return new Result("", "grep: Invalid regular expression\n", 2);
        }
        List<String> lines = Filters.lines(input);
        StringBuilder out = new StringBuilder();
        int selected = 0;
        for (int n = 0; n < lines.size(); n++) {
            Matcher m = compiled.matcher(lines.get(n));
            if (m.find() == invert) continue;
            selected++;
            if (quiet) break;
            if (!count) out.append(numbers ? (n + 1) + ":" : "").append(lines.get(n)).append('\n');
        }
        if (count && !quiet) out.append(selected).append('\n');
        return new Result(quiet ? "" : out.toString(), "", selected > 0 ? 0 : 1);
    }

    /** A basic regular expression as Java reads one: {@code \( \) \{ \} \| \+ \?} are operators, their bare forms literal. */
    static String basicToJava(String bre) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bre.length(); i++) {
            char c = bre.charAt(i);
            if (c == '\\' && i + 1 < bre.length()) {
                char n = bre.charAt(++i);
                if ("(){}|+?".indexOf(n) >= 0) b.append(n);
                else b.append('\\').append(n);
            } else if (c == '[') {
                int end = bracketEnd(bre, i);
                b.append(posixClasses(bre.substring(i, end + 1)));
                i = end;
            } else if ("(){}|+?".indexOf(c) >= 0) {
                b.append('\\').append(c);
            } else if (c == '*' && (i == 0 || bre.charAt(i - 1) == '^' && i == 1)) {
                b.append("\\*"); // a leading star is literal
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The bracket expression's closing bracket from {@code start} ({@code []a]} and {@code [^]a]} include the first ]). */
    private static int bracketEnd(String s, int start) {
        int i = start + 1;
        if (i < s.length() && s.charAt(i) == '^') i++;
        if (i < s.length() && s.charAt(i) == ']') i++;
        while (i < s.length() && s.charAt(i) != ']') {
            if (s.startsWith("[:", i)) {
                int close = s.indexOf(":]", i + 2);
                if (close > 0) i = close + 1;
            }
            i++;
        }
        return Math.min(i, s.length() - 1);
    }

    /** POSIX character classes ({@code [[:digit:]]}) as Java's ({@code [\p{Digit}]}). */
    private static String posixClasses(String regex) {
        String[][] classes = {{"alpha", "Alpha"}, {"digit", "Digit"}, {"alnum", "Alnum"}, {"upper", "Upper"},
                {"lower", "Lower"}, {"space", "Space"}, {"blank", "Blank"}, {"punct", "Punct"}, {"xdigit", "XDigit"},
                {"print", "Print"}, {"graph", "Graph"}, {"cntrl", "Cntrl"}};
        for (String[] c : classes) regex = regex.replace("[:" + c[0] + ":]", "\\p{" + c[1] + "}");
        return regex;
    }

    private static List<String> operands(List<String> args) {
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-e")) i++;
            else if (!a.startsWith("-") || a.equals("-")) operands.add(a);
        }
        return operands;
    }
}
