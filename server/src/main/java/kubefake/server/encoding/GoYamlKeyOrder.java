package kubefake.server.encoding;

/**
 * The order go-yaml (v2, under sigs.k8s.io/yaml) writes mapping keys in ({@code keyList.Less}): character by
 * character; two letters by code point; a non-letter before a letter; runs of digits by their numeric value.
 */
final class GoYamlKeyOrder {
    private GoYamlKeyOrder() {
    }

    static int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        return less(a, b) ? -1 : less(b, a) ? 1 : 0;
    }

    private static boolean less(String x, String y) {
        int[] a = x.codePoints().toArray();
        int[] b = y.codePoints().toArray();
        for (int i = 0; i < a.length && i < b.length; i++) {
            if (a[i] == b[i]) {
                continue;
            }
            boolean al = Character.isLetter(a[i]);
            boolean bl = Character.isLetter(b[i]);
            if (al && bl) {
                return a[i] < b[i];
            }
            if (al || bl) {
                return bl;
            }
            long an = 0;
            long bn = 0;
            if (a[i] == '0' || b[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(a[j]); j--) {
                    if (a[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            while (ai < a.length && Character.isDigit(a[ai])) {
                an = an * 10 + (a[ai] - '0');
                ai++;
            }
            int bi = i;
            while (bi < b.length && Character.isDigit(b[bi])) {
                bn = bn * 10 + (b[bi] - '0');
                bi++;
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return a[i] < b[i];
        }
        return a.length < b.length;
    }
}
