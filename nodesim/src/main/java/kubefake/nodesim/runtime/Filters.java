package kubefake.nodesim.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text filters a pipeline in an exec shell ends with: {@code grep}, {@code head}, {@code tail}, {@code wc}, {@code sort}. */
final class Filters {
    private Filters() {
    }

    /** {@code filter}'s output for {@code input}; an unknown filter passes the text through. */
    static String apply(List<String> filter, String input) {
        if (filter.isEmpty()) return input;
        List<String> lines = input.isEmpty() ? List.of() : List.of(input.split("\n", -1)).subList(0, input.endsWith("\n")
                ? input.split("\n", -1).length - 1 : input.split("\n", -1).length);
        List<String> args = filter.subList(1, filter.size());
        return switch (filter.get(0)) {
            case "grep" -> {
                boolean invert = args.contains("-v");
                boolean ignoreCase = args.contains("-i");
                String pattern = args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
                List<String> out = new ArrayList<>();
                for (String l : lines) {
                    boolean match = ignoreCase ? l.toLowerCase(Locale.ROOT).contains(pattern.toLowerCase(Locale.ROOT)) : l.contains(pattern);
                    if (match != invert) out.add(l);
                }
                yield join(out);
            }
            case "head" -> join(lines.subList(0, Math.min(lines.size(), count(args))));
            case "tail" -> join(lines.subList(Math.max(0, lines.size() - count(args)), lines.size()));
            case "wc" -> args.contains("-l") ? lines.size() + "\n"
                    : String.format(Locale.ROOT, "%7d %7d %7d%n", lines.size(), input.isBlank() ? 0 : input.trim().split("\\s+").length, input.length());
            case "sort" -> join(lines.stream().sorted().toList());
            default -> input;
        };
    }

    private static int count(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            try {
                if (a.equals("-n") && i + 1 < args.size()) return Integer.parseInt(args.get(i + 1));
                if (a.startsWith("-")) return Integer.parseInt(a.substring(1));
            } catch (NumberFormatException e) {
                return 10;
            }
        }
        return 10;
    }

    private static String join(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
