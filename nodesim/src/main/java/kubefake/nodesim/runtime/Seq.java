package kubefake.nodesim.runtime;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST}, as BusyBox's applet and coreutils' program print it: the numbers
 * one a line (or joined by SEP), with as many decimals as the operands have, {@code -w} padding them with zeros.
 */
final class Seq {
    private Seq() {
    }

    /** Writes the sequence to {@code out} (errors to {@code err}) and returns the status; {@code gnu}: coreutils' words. */
    static int run(List<String> args, boolean gnu, Consumer<String> out, Consumer<String> err) {
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
            return 1;
        }
        BigDecimal[] n = new BigDecimal[operands.size()];
        int scale = 0;
        for (int i = 0; i < n.length; i++) {
            try {
                n[i] = new BigDecimal(operands.get(i));
            } catch (NumberFormatException e) {
                err.accept(gnu ? "seq: invalid floating point argument: '" + operands.get(i) + "'\nTry 'seq --help' for more information.\n"
                        : "seq: invalid number '" + operands.get(i) + "'\n");
                return 1;
            }
            if (i < n.length - 1 || n.length == 1) scale = Math.max(scale, Math.max(0, n[i].scale()));
        }
        BigDecimal first = n.length > 1 ? n[0] : BigDecimal.ONE;
        BigDecimal step = n.length == 3 ? n[1] : BigDecimal.ONE;
        BigDecimal last = n[n.length - 1];
        if (step.signum() == 0) {
            err.accept(gnu ? "seq: invalid Zero increment value: '" + operands.get(1) + "'\nTry 'seq --help' for more information.\n"
                    : "");
            return 1;
        }
        List<String> values = new ArrayList<>();
        for (BigDecimal v = first; step.signum() > 0 ? v.compareTo(last) <= 0 : v.compareTo(last) >= 0; v = v.add(step)) {
            values.add(v.setScale(scale, java.math.RoundingMode.HALF_EVEN).toPlainString());
            if (values.size() > 10_000_000) break;
        }
        if (equalWidth) {
            int width = values.stream().mapToInt(String::length).max().orElse(0);
            values.replaceAll(v -> v.startsWith("-") ? "-" + "0".repeat(width - v.length()) + v.substring(1) : "0".repeat(width - v.length()) + v);
        }
        if (!values.isEmpty()) out.accept(String.join(separator, values) + "\n");
        return 0;
    }
}
