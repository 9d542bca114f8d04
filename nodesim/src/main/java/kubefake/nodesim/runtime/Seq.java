package kubefake.nodesim.runtime;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST}, as BusyBox's applet and coreutils' program print it: the numbers
 * one a line (or joined by SEP), with as many decimals as the operands have, {@code -w} padding them with zeros. The
 * output is made a chunk at a time as the reader takes it, as the real program writes: {@code seq 1 100000000 | tail -1}
 * holds a few KiB, not the 900 MB of numbers.
 */
final class Seq {
    /** About what one chunk of output holds. */
    static final int CHUNK = 4096;

    private final String separator;
    private final int scale;
    private final int width; // -w: every number this wide; 0: as it is
    private final BigDecimal step;
    private final BigDecimal last;
    private BigDecimal next;
    private boolean first = true;
    private boolean finished;

    private Seq(String separator, int scale, int width, BigDecimal first, BigDecimal step, BigDecimal last) {
        this.separator = separator;
        this.scale = scale;
        this.width = width;
        this.step = step;
        this.last = last;
        this.next = first;
    }

    /**
     * The numbers {@code seq ARGS} prints, or null when the arguments are wrong (the message went to {@code err}, the
     * status is 1); {@code gnu}: coreutils' words, else BusyBox's.
     */
    static Seq parse(List<String> args, boolean gnu, Consumer<String> err) {
        String separator = "\n";
        boolean equalWidth = false;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-s") && i + 1 < args.size()) separator = args.get(++i);
            else if (a.startsWith("-s") && a.length() > 2) separator = a.substring(2);
            else if (a.equals("-w")) equalWidth = true;
            else operands.add(a);
        }
        if (operands.isEmpty() || operands.size() > 3) {
            err.accept(gnu ? (operands.isEmpty() ? "seq: missing operand\n" : "seq: extra operand '" + operands.get(3) + "'\n")
                    + "Try 'seq --help' for more information.\n"
                    : "Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n\nPrint numbers from FIRST to LAST, in steps of INC.\n");
            return null;
        }
        BigDecimal[] n = new BigDecimal[operands.size()];
        int scale = 0;
        for (int i = 0; i < n.length; i++) {
            try {
                n[i] = new BigDecimal(operands.get(i));
            } catch (NumberFormatException e) {
                err.accept(gnu ? "seq: invalid floating point argument: '" + operands.get(i) + "'\nTry 'seq --help' for more information.\n"
                        : "seq: invalid number '" + operands.get(i) + "'\n");
                return null;
            }
            if (i < n.length - 1 || n.length == 1) scale = Math.max(scale, Math.max(0, n[i].scale()));
        }
        BigDecimal first = n.length > 1 ? n[0] : BigDecimal.ONE;
        BigDecimal step = n.length == 3 ? n[1] : BigDecimal.ONE;
        BigDecimal last = n[n.length - 1];
        if (step.signum() == 0) {
            err.accept(gnu ? "seq: invalid Zero increment value: '" + operands.get(1) + "'\nTry 'seq --help' for more information.\n"
                    : "");
            return null;
        }
        int width = 0;
        if (equalWidth && !beyond(first, step, last)) {
            // the widest number is at one end: the first, or the last one printed (the numbers between are nearer zero)
            BigDecimal lastPrinted = first.add(step.multiply(last.subtract(first).divide(step, 0, RoundingMode.DOWN)));
            width = Math.max(plain(first, scale).length(), plain(lastPrinted, scale).length());
        }
        return new Seq(separator, scale, width, first, step, last);
    }

    /** Whether {@code v} is past the end of the sequence. */
    private static boolean beyond(BigDecimal v, BigDecimal step, BigDecimal last) {
        return step.signum() > 0 ? v.compareTo(last) > 0 : v.compareTo(last) < 0;
    }

    private static String plain(BigDecimal v, int scale) {
        return v.setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** The next part of the output (about {@link #CHUNK} bytes; the last one ends with a newline), or null after the last. */
    String chunk() {
        if (finished) return null;
        StringBuilder b = new StringBuilder(CHUNK + 64);
        while (b.length() < CHUNK) {
            if (beyond(next, step, last)) {
                finished = true;
                if (!first) b.append('\n');
                break;
            }
            if (!first) b.append(separator);
            first = false;
            String v = plain(next, scale);
            if (width > v.length()) v = v.startsWith("-") ? "-" + "0".repeat(width - v.length()) + v.substring(1) : "0".repeat(width - v.length()) + v;
            b.append(v);
            next = next.add(step);
        }
        return b.isEmpty() ? null : b.toString();
    }
}
