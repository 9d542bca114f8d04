package kubefake.nodesim.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A message with {@code {{name}}} placeholders, filled from a container's values: {@code image}, {@code reference},
 * {@code container}, {@code pod} ({@code name_namespace(uid)}, as the kubelet names pods in messages),
 * {@code pullDuration} (the pull itself), {@code pullDurationWithWaiting} (since "Pulling image"), {@code imageSize}, {@code pullError}, {@code backOff}, {@code exitCode}, {@code node}.
 */
public record Template(String text, List<String> names) {
    public static final List<String> VALUES = List.of("image", "reference", "container", "pod", "pullDuration", "pullDurationWithWaiting",
            "imageSize", "pullError", "backOff", "exitCode", "node");

    public static Template parse(String text) {
        List<String> names = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = text.indexOf("{{", at);
            if (open < 0) break;
            int close = text.indexOf("}}", open);
            if (close < 0) throw new IllegalArgumentException("unclosed {{ in: " + text);
            String name = text.substring(open + 2, close).trim();
            if (!VALUES.contains(name)) throw new IllegalArgumentException("unknown value {{" + name + "}} in: " + text + " (known: " + VALUES + ")");
            names.add(name);
            at = close + 2;
        }
        return new Template(text, List.copyOf(names));
    }

    public String fill(Function<String, String> values) {
        if (names.isEmpty()) return text;
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = text.indexOf("{{", at);
            if (open < 0) break;
            int close = text.indexOf("}}", open);
            out.append(text, at, open);
            String v = values.apply(text.substring(open + 2, close).trim());
            out.append(v == null ? "" : v);
            at = close + 2;
        }
        return out.append(text.substring(at)).toString();
    }
}
