package kubefake.nodesim.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text filters a pipeline in an exec shell ends with: {@code head}, {@code tail}, {@code wc}, {@code sort} ({@code grep} is {@link Grep}). */
final class Filters {
    private Filters() {
    }

    /** {@code filter}'s output for {@code input}; an unknown filter passes the text through. */
    static String apply(List<String> filter, String input) {
        if (filter.isEmpty()) return input;
        List<String> lines = lines(input);
        List<String> args = filter.subList(1, filter.size());
        return switch (filter.get(0)) {
            case "head" -> join(lines.subList(0, Math.min(lines.size(), count(args))));
            case "tail" -> join(lines.subList(Math.max(0, lines.size() - count(args)), lines.size()));
            case "wc" -> new Counts().add(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)).format(args, null);
            case "sort" -> join(sort(args, lines));
            default -> input;
        };
    }

    /**
     * {@code wc}'s three counts of an input, added up as it comes, a chunk at a time (a word may go on from one chunk
     * into the next): newlines, words (runs of bytes other than the C locale's blanks), bytes.
     */
    static final class Counts {
        private long lines;
        private long words;
        private long bytes;
        private boolean inWord;

        Counts add(byte[] data) {
            bytes += data.length;
            for (byte b : data) {
                boolean blank = b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == 0x0b || b == '\f';
                if (b == '\n') lines++;
                if (blank) inWord = false;
                else if (!inWord) {
                    inWord = true;
                    words++;
                }
            }
            return this;
        }

        /**
         * The counts {@code wc ARGS} selects ({@code -l}, {@code -w}, {@code -c}/{@code -m}, bunched or not; none: all
         * three), in coreutils' layout: a single count as it is, several right-aligned in 7 columns for standard
         * input; after them the file's name when it read one ({@code file}).
         */
        String format(List<String> args, String file) {
            boolean l = false;
            boolean w = false;
            boolean c = false;
            for (String a : args) {
                if (!a.startsWith("-") || a.length() < 2) continue;
                l |= a.indexOf('l') > 0;
                w |= a.indexOf('w') > 0;
                c |= a.indexOf('c') > 0 || a.indexOf('m') > 0;
            }
            if (!l && !w && !c) l = w = c = true;
            List<Long> counts = new ArrayList<>();
            if (l) counts.add(lines);
            if (w) counts.add(words);
            if (c) counts.add(bytes);
            StringBuilder b = new StringBuilder();
            int width = counts.size() == 1 ? 0 : file == null ? 7 : Long.toString(counts.get(counts.size() - 1)).length();
            for (long n : counts) {
                if (b.length() > 0) b.append(' ');
                b.append(String.format(Locale.ROOT, "%" + (width == 0 ? "" : width) + "d", n));
            }
            if (file != null) b.append(' ').append(file);
            return b.append('\n').toString();
        }
    }

    /**
     * {@code sort} with its common flags, bunched or not: {@code -r} reversed, {@code -n} by leading number (ties by
     * the whole line), {@code -u} the first line of each run that compares equal (by the number alone with -n).
     */
    private static List<String> sort(List<String> args, List<String> lines) {
        String flags = String.join("", args.stream().filter(a -> a.startsWith("-") && !a.startsWith("--")).toList());
        boolean unique = flags.contains("u");
        java.util.Comparator<String> order = java.util.Comparator.naturalOrder();
        if (flags.contains("n")) {
            java.util.Comparator<String> byNumber = java.util.Comparator.comparingDouble(Filters::leadingNumber);
            order = unique ? byNumber : byNumber.thenComparing(java.util.Comparator.naturalOrder());
        }
        if (flags.contains("r")) order = order.reversed();
        List<String> sorted = lines.stream().sorted(order).toList();
        if (!unique) return sorted;
        List<String> kept = new ArrayList<>();
        for (String l : sorted) if (kept.isEmpty() || order.compare(kept.get(kept.size() - 1), l) != 0) kept.add(l);
        return kept;
    }

    private static final java.util.regex.Pattern LEADING_NUMBER = java.util.regex.Pattern.compile("^\\s*(-?\\d+(\\.\\d*)?)");

    /** The number a line starts with (after blanks), as {@code sort -n} reads it; 0 when none. */
    private static double leadingNumber(String line) {
        java.util.regex.Matcher m = LEADING_NUMBER.matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** How many lines {@code head ARGS} or {@code tail ARGS} keeps ({@code -n N}, {@code -N}; 10). */
    static int count(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            try {
                if (a.equals("-n") && i + 1 < args.size()) return Integer.parseInt(args.get(i + 1));
                if (a.startsWith("-n")) return Integer.parseInt(a.substring(2));
                if (a.startsWith("-")) return Integer.parseInt(a.substring(1));
            } catch (NumberFormatException e) {
                return 10;
            }
        }
        return 10;
    }

    /** The lines of {@code input}, a last newline ending the last line rather than starting an empty one. */
    static List<String> lines(String input) {
        if (input.isEmpty()) return List.of();
        String[] split = input.split("\n", -1);
        return List.of(split).subList(0, input.endsWith("\n") ? split.length - 1 : split.length);
    }

    private static String join(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
