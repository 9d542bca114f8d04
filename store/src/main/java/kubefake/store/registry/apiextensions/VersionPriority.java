package kubefake.store.registry.apiextensions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' version priority (apimachinery's {@code version.CompareKubeAwareVersionStrings}), which orders a
 * CRD's versions in discovery: GA before beta before alpha, higher numbers first ({@code v2, v1, v1beta2, v1beta1,
 * v1alpha1}), then versions not in that form, alphabetically.
 */
final class VersionPriority {
    private static final Pattern KUBE = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

    private VersionPriority() {
    }

    /** Negative when {@code a} comes first. */
    static int compare(String a, String b) {
        Matcher ma = KUBE.matcher(a);
        Matcher mb = KUBE.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            if (ka) return -1;
            if (kb) return 1;
            return a.compareTo(b);
        }
        int stage = Integer.compare(stage(mb.group(2)), stage(ma.group(2)));
        if (stage != 0) return stage;
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0) return major;
        if (ma.group(3) == null || mb.group(3) == null) return 0;
        return Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
    }

    private static int stage(String s) {
        if (s == null) return 2;
        return s.equals("beta") ? 1 : 0;
    }
}
