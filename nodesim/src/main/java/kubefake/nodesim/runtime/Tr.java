package kubefake.nodesim.runtime;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * BusyBox's {@code tr [-cds] STRING1 [STRING2]} over bytes: translate, delete (-d), squeeze repeats (-s), STRING1's
 * complement (-c). Sets take escapes (\n, \t, \\, \NNN octal), ranges (a-z) and classes ([:digit:]); a shorter
 * STRING2 is padded with its last character.
 */
final class Tr {
    static final String USAGE = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
            + "Usage: tr [-cds] STRING1 [STRING2]\n\n"
            + "Translate, squeeze, or delete characters from stdin, writing to stdout\n\n"
            + "\t-c\tTake complement of STRING1\n"
            + "\t-d\tDelete input characters coded STRING1\n"
            + "\t-s\tSqueeze multiple output characters of STRING2 into one character\n";

    /** The output, or null when the arguments call for the usage (status 1). */
    static byte[] run(List<String> args, byte[] input) {
        return run(args, input, new int[] {-1});
    }

    /**
     * As {@link #run(List, byte[])} for one chunk of an input read as it comes: {@code lastOut} holds the last byte
     * written before this chunk (-1: none) and gets this chunk's, so that {@code -s} squeezes across chunks too.
     */
    static byte[] run(List<String> args, byte[] input, int[] lastOut) {
        boolean complement = false, delete = false, squeeze = false;
        int i = 0;
        while (i < args.size() && args.get(i).matches("-[cds]+")) {
            String a = args.get(i++);
            complement |= a.contains("c");
            delete |= a.contains("d");
            squeeze |= a.contains("s");
        }
        List<String> sets = args.subList(i, args.size());
        if (sets.isEmpty() || !delete && !squeeze && sets.size() < 2) return null;
        boolean[] first = new boolean[256];
        byte[] from = expand(sets.get(0));
        for (byte b : from) first[b & 0xFF] = true;
        if (complement) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int c = 0; c < 256; c++) {
                first[c] = !first[c];
                if (first[c]) all.write(c);
            }
            from = all.toByteArray();
        }
        int[] map = new int[256];
        for (int c = 0; c < 256; c++) map[c] = c;
        byte[] to = sets.size() > 1 ? expand(sets.get(1)) : new byte[0];
        if (!delete && to.length > 0) {
            for (int k = 0; k < from.length; k++) map[from[k] & 0xFF] = to[Math.min(k, to.length - 1)] & 0xFF;
        }
        boolean[] squeezed = new boolean[256];
        if (squeeze) {
            byte[] set = delete || to.length == 0 ? (delete ? to : from) : to;
            for (byte b : set) squeezed[b & 0xFF] = true;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length);
        int last = lastOut[0];
        for (byte b : input) {
            int c = b & 0xFF;
            if (delete && first[c]) continue;
            int m = map[c];
            if (squeeze && m == last && squeezed[m]) continue;
            out.write(m);
            last = m;
        }
        lastOut[0] = last;
        return out.toByteArray();
    }

    /** A set's bytes in order, its escapes, ranges and classes expanded. */
    private static byte[] expand(String set) {
        ByteArrayOutputStream chars = new ByteArrayOutputStream();
        int i = 0;
        while (i < set.length()) {
            if (set.startsWith("[:", i) && set.indexOf(":]", i + 2) > 0) {
                int end = set.indexOf(":]", i + 2);
                String name = set.substring(i + 2, end);
                for (int c = 0; c < 128; c++) if (inClass(name, c)) chars.write(c);
                i = end + 2;
                continue;
            }
            int[] at = {i};
            int c = next(set, at);
            if (at[0] + 1 < set.length() && set.charAt(at[0]) == '-') {
                int[] after = {at[0] + 1};
                int d = next(set, after);
                for (int x = c; x <= d; x++) chars.write(x);
                i = after[0];
            } else {
                chars.write(c);
                i = at[0];
            }
        }
        return chars.toByteArray();
    }

    private static int next(String set, int[] at) {
        char c = set.charAt(at[0]++);
        if (c != '\\' || at[0] >= set.length()) return c & 0xFF;
        char e = set.charAt(at[0]++);
        if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int n = 0; n < 2 && at[0] < set.length() && set.charAt(at[0]) >= '0' && set.charAt(at[0]) <= '7'; n++) {
                v = v * 8 + set.charAt(at[0]++) - '0';
            }
            return v & 0xFF;
        }
        return switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'a' -> 7;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'v' -> 11;
            default -> e & 0xFF;
        };
    }

    private static boolean inClass(String name, int c) {
        return switch (name) {
            case "alpha" -> Character.isLetter(c);
            case "alnum" -> Character.isLetterOrDigit(c);
            case "digit" -> c >= '0' && c <= '9';
            case "lower" -> c >= 'a' && c <= 'z';
            case "upper" -> c >= 'A' && c <= 'Z';
            case "space" -> c == ' ' || c >= 9 && c <= 13;
            case "blank" -> c == ' ' || c == '\t';
            case "punct" -> c > 32 && c < 127 && !Character.isLetterOrDigit(c);
            case "xdigit" -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            case "cntrl" -> c < 32 || c == 127;
            case "print" -> c >= 32 && c < 127;
            case "graph" -> c > 32 && c < 127;
            default -> false;
        };
    }
}
