package kubefake.store.registry;

import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusException;

import java.math.BigInteger;

/**
 * A resourceVersion from a request, read as the real storage's {@code APIObjectVersioner.ParseResourceVersion}:
 * "" and "0" mean "any", anything else must be an unsigned decimal ({@code strconv.ParseUint}). A malformed one
 * is a storage {@code InvalidError} there, which each verb surfaces differently (see {@link #forList} and
 * {@link #forGetOrWatch}).
 */
public final class ResourceVersions {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private ResourceVersions() {
    }

    /**
     * A list's resourceVersion: 0 for "" and "0". A malformed one is the 400 of storage's
     * {@code ValidateListOptions}: {@code invalid resource version: resourceVersion: Invalid value: "-1":
     * strconv.ParseUint: parsing "-1": invalid syntax}.
     */
    public static long forList(String rv) {
        String error = error(rv);
        if (error != null) throw StatusException.badRequest("invalid resource version: " + error);
        return value(rv);
    }

    /**
     * A get's or watch's resourceVersion. The watch cache returns the parse error as a bare storage error that
     * no layer turns into a Status ({@code storeerr.InterpretGetError} passes it on, {@code Store.WatchPredicate}
     * does not interpret it), so the real server answers 500 with no reason and the error text as message
     * ({@code responsewriters.ErrorToAPIStatus}).
     */
    public static long forGetOrWatch(String rv) {
        String error = error(rv);
        if (error != null) throw StatusException.unclassified(error);
        return value(rv);
    }

    private static long value(String rv) {
        if (rv == null || rv.isEmpty() || rv.equals("0")) return 0;
        // beyond Long.MAX_VALUE no revision exists yet: the largest long stands for "too large"
        return new BigInteger(rv).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    /** The field error text for a malformed resourceVersion, or null. */
    private static String error(String rv) {
        if (rv == null || rv.isEmpty() || rv.equals("0")) return null;
        String why = null;
        for (int i = 0; i < rv.length() && why == null; i++) {
            if (rv.charAt(i) < '0' || rv.charAt(i) > '9') why = "invalid syntax";
        }
        if (why == null && new BigInteger(rv).compareTo(UINT64_MAX) > 0) why = "value out of range";
        if (why == null) return null;
        String detail = "strconv.ParseUint: parsing " + GoFormat.quote(rv) + ": " + why;
        return FieldError.invalid(FieldPath.of("resourceVersion"), rv, detail).toString();
    }
}
