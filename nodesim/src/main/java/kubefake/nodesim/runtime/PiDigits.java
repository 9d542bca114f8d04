package kubefake.nodesim.runtime;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * π to a number of significant digits, as Perl's {@code bpi(N)} of {@code Math::BigFloat} prints it ({@code 3.14159...},
 * N digits in all, the last rounded half to even, its default rounding): what the {@code perl} image's one-liner
 * {@code perl -Mbignum=bpi -wle "print bpi(2000)"} of Kubernetes' Job example writes. Machin's formula,
 * π = 16 atan(1/5) − 4 atan(1/239), each arctangent summed as its series with a few guard digits.
 */
final class PiDigits {
    private static final int GUARD = 10;

    private PiDigits() {
    }

    static String of(int digits) {
        if (digits < 1) throw new IllegalArgumentException("digits must be positive: " + digits);
        int scale = digits + GUARD;
        BigDecimal pi = arctanOfInverse(5, scale).multiply(BigDecimal.valueOf(16))
                .subtract(arctanOfInverse(239, scale).multiply(BigDecimal.valueOf(4)));
        return pi.round(new MathContext(digits, RoundingMode.HALF_EVEN)).toPlainString();
    }

    /** atan(1/x) to {@code scale} decimals: 1/x − 1/(3x³) + 1/(5x⁵) − ... */
    private static BigDecimal arctanOfInverse(int x, int scale) {
        BigDecimal xSquared = BigDecimal.valueOf((long) x * x);
        BigDecimal power = BigDecimal.ONE.divide(BigDecimal.valueOf(x), scale, RoundingMode.HALF_EVEN);
        BigDecimal sum = power;
        for (int n = 3; power.signum() != 0; n += 2) {
            power = power.divide(xSquared, scale, RoundingMode.HALF_EVEN);
            BigDecimal term = power.divide(BigDecimal.valueOf(n), scale, RoundingMode.HALF_EVEN);
            sum = ((n / 2) % 2 == 1) ? sum.subtract(term) : sum.add(term);
        }
        return sum;
    }
}
