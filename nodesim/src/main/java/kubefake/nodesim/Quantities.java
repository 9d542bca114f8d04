package kubefake.nodesim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Kubernetes quantities ({@code 1Gi}, {@code 838124Ki}, {@code 64G}, {@code 2}) as byte counts, and back as KiB. */
public final class Quantities {
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("k", BigDecimal.valueOf(1_000L)), Map.entry("M", BigDecimal.valueOf(1_000_000L)),
            Map.entry("G", BigDecimal.valueOf(1_000_000_000L)), Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)));

    private Quantities() {
    }

    public static long bytes(String quantity) {
        String q = quantity.trim();
        int i = 0;
        while (i < q.length() && (Character.isDigit(q.charAt(i)) || q.charAt(i) == '.')) i++;
        BigDecimal unit = SUFFIXES.get(q.substring(i));
        if (i == 0 || unit == null) throw new IllegalArgumentException("not a quantity (e.g. 2Gi, 838124Ki, 64G): " + quantity);
        return new BigDecimal(q.substring(0, i)).multiply(unit).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Bytes as the kubelet writes memory: whole KiB ({@code 838124Ki}). */
    public static String kibibytes(long bytes) {
        return (bytes / 1024) + "Ki";
    }
}
