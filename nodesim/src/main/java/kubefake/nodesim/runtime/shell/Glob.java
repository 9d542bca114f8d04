package kubefake.nodesim.runtime.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Shell patterns ({@code *}, {@code ?}, {@code [abc]}, {@code [!a-z]}; a backslash quotes the next character): for
 * {@code case}, {@code ${x#pattern}} and pathname expansion.
 */
final class Glob {
    private Glob() {
    }

    static boolean special(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') i++;
            else if (c == '*' || c == '?' || c == '[') return true;
        }
        return false;
    }

    static Pattern regex(String pattern) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < pattern.length()) b.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    else b.append("\\\\");
                }
                case '*' -> b.append("[\\s\\S]*");
                case '?' -> b.append("[\\s\\S]");
                case '[' -> {
                    int end = pattern.indexOf(']', i + 2);
                    if (end < 0) {
                        b.append("\\[");
                        break;
                    }
                    String set = pattern.substring(i + 1, end);
                    boolean negate = set.startsWith("!") || set.startsWith("^");
                    if (negate) set = set.substring(1);
                    b.append('[').append(negate ? "^" : "");
                    for (char s : set.toCharArray()) b.append(s == '-' ? "-" : Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\" + s);
                    b.append(']');
                    i = end;
                }
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }

    static boolean matches(String pattern, String text) {
        return regex(pattern).matcher(text).matches();
    }

    /** Pattern text with every special character quoted. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\*?[]".indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    static String unquote(String pattern) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) c = pattern.charAt(++i);
            b.append(c);
        }
        return b.toString();
    }

    /** The container's paths {@code pattern} names (relative to {@code cwd} unless absolute), sorted; none: empty. */
    static List<String> paths(String pattern, String cwd, Interpreter.Host host) {
        boolean absolute = pattern.startsWith("/");
        String[] parts = pattern.split("/+");
        List<String> found = new ArrayList<>();
        found.add("");
        for (String part : parts) {
            if (part.isEmpty()) continue;
            List<String> next = new ArrayList<>();
            for (String prefix : found) {
                String dir = absolute ? "/" + prefix : prefix.isEmpty() ? cwd : cwd + "/" + prefix;
                String join = prefix.isEmpty() ? "" : prefix + "/";
                if (!special(part)) {
                    String literal = unquote(part);
                    String full = (absolute ? "/" : cwd + "/") + join + literal;
                    if (host.fileExists(full)) next.add(join + literal);
                    continue;
                }
                if (!host.isDirectory(dir)) continue;
                Pattern p = regex(part);
                List<String> names = new ArrayList<>(host.list(dir));
                names.sort(null);
                for (String n : names) {
                    if (n.startsWith(".") && !part.startsWith(".")) continue;
                    if (p.matcher(n).matches()) next.add(join + n);
                }
            }
            found = next;
        }
        if (found.size() == 1 && found.get(0).isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String f : found) out.add(absolute ? "/" + f : f);
        return out;
    }
}
