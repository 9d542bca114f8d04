package kubefake.server.encoding;

import java.util.Arrays;

/**
 * Go's {@code json.MarshalIndent(v, "", "  ")} applied to JSON already written: {@code json.Indent}'s reformatting,
 * byte by byte without parsing (so a large list is indented in one pass). Members and elements go on their own lines
 * indented by two spaces, {@code ": "} after a name, empty objects and arrays stay {@code {}} and {@code []}, string
 * contents are copied as they are, whitespace outside strings is dropped. No newline at the end, as MarshalIndent.
 */
public final class GoJsonIndent {
    private GoJsonIndent() {
    }

    public static byte[] indent(byte[] json) {
        // two passes of the same walk: the first measures, the second writes into an array of the exact size
        byte[] out = new byte[walk(json, null)];
        walk(json, out);
        return out;
    }

    /** Writes the indented form of {@code json} into {@code out} (null: only measures); returns its length. */
    private static int walk(byte[] json, byte[] out) {
        int len = 0;
        boolean needIndent = false;
        int depth = 0;
        int i = 0;
        while (i < json.length) {
            byte c = json[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            if (needIndent && c != '}' && c != ']') {
                needIndent = false;
                depth++;
                len = newline(out, len, depth);
            }
            switch (c) {
                case '"' -> {
                    int end = endOfString(json, i);
                    if (out != null) System.arraycopy(json, i, out, len, end - i);
                    len += end - i;
                    i = end;
                    continue;
                }
                case '{', '[' -> {
                    needIndent = true;
                    len = put(out, len, c);
                }
                case ',' -> {
                    len = put(out, len, c);
                    len = newline(out, len, depth);
                }
                case ':' -> {
                    len = put(out, len, c);
                    len = put(out, len, (byte) ' ');
                }
                case '}', ']' -> {
                    if (needIndent) {
                        needIndent = false;
                    } else {
                        depth--;
                        len = newline(out, len, depth);
                    }
                    len = put(out, len, c);
                }
                default -> len = put(out, len, c);
            }
            i++;
        }
        return len;
    }

    private static int put(byte[] out, int len, byte c) {
        if (out != null) out[len] = c;
        return len + 1;
    }

    private static int newline(byte[] out, int len, int depth) {
        if (out != null) {
            out[len] = '\n';
            Arrays.fill(out, len + 1, len + 1 + 2 * depth, (byte) ' ');
        }
        return len + 1 + 2 * depth;
    }

    /** The index after the closing quote of the string that starts at {@code start}. */
    private static int endOfString(byte[] json, int start) {
        int i = start + 1;
        while (i < json.length) {
            byte c = json[i];
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return json.length;
    }
}
