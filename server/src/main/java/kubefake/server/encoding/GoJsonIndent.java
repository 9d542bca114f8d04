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
        Out out = new Out(json.length + json.length / 2 + 16);
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
                out.newline(depth);
            }
            switch (c) {
                case '"' -> {
                    int end = endOfString(json, i);
                    out.write(json, i, end - i);
                    i = end;
                    continue;
                }
                case '{', '[' -> {
                    needIndent = true;
                    out.write(c);
                }
                case ',' -> {
                    out.write(c);
                    out.newline(depth);
                }
                case ':' -> {
                    out.write(c);
                    out.write((byte) ' ');
                }
                case '}', ']' -> {
                    if (needIndent) {
                        needIndent = false;
                    } else {
                        depth--;
                        out.newline(depth);
                    }
                    out.write(c);
                }
                default -> out.write(c);
            }
            i++;
        }
        return out.toByteArray();
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

    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void write(byte b) {
            ensure(1);
            buf[len++] = b;
        }

        void write(byte[] src, int off, int n) {
            ensure(n);
            System.arraycopy(src, off, buf, len, n);
            len += n;
        }

        void newline(int depth) {
            ensure(1 + 2 * depth);
            buf[len++] = '\n';
            Arrays.fill(buf, len, len + 2 * depth, (byte) ' ');
            len += 2 * depth;
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        byte[] toByteArray() {
            return len == buf.length ? buf : Arrays.copyOf(buf, len);
        }
    }
}
