package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static kubefake.store.registry.cel.library.Functions.error;
import static kubefake.store.registry.cel.library.Functions.fn;
import static kubefake.store.registry.cel.library.Functions.goQuote;

/**
 * Kubernetes' semver library (library/semverlib.go, on blang/semver v4): {@code semver('1.2.3')} and {@code isSemver},
 * with the optional normalisation ({@code semver('v1.0', true)}: no "v", missing parts 0, no leading zeros),
 * {@code major}, {@code minor}, {@code patch} and the comparisons (pre-releases before releases, build metadata
 * ignored). The parse errors are blang's ({@code No Major.Minor.Patch elements found}).
 */
final class SemverLibrary implements CelLibrary {
    static final CelType TYPE = OpaqueType.create("kubernetes.Semver");

    /** A version; equal to another that compares equal (build metadata aside). */
    record Value(long major, long minor, long patch, List<String> prerelease) implements Comparable<Value> {
        @Override
        public int compareTo(Value o) {
            int c = Long.compareUnsigned(major, o.major);
            if (c == 0) c = Long.compareUnsigned(minor, o.minor);
            if (c == 0) c = Long.compareUnsigned(patch, o.patch);
            if (c != 0) return Integer.signum(c);
            if (prerelease.isEmpty() || o.prerelease.isEmpty()) {
                return prerelease.isEmpty() == o.prerelease.isEmpty() ? 0 : prerelease.isEmpty() ? 1 : -1;
            }
            for (int i = 0; i < Math.min(prerelease.size(), o.prerelease.size()); i++) {
                c = comparePart(prerelease.get(i), o.prerelease.get(i));
                if (c != 0) return c;
            }
            return Integer.compare(prerelease.size(), o.prerelease.size());
        }

        private static int comparePart(String a, String b) {
            boolean na = numeric(a);
            boolean nb = numeric(b);
            if (na && nb) return Integer.signum(new BigInteger(a).compareTo(new BigInteger(b)));
            if (na != nb) return na ? -1 : 1;
            return Integer.signum(a.compareTo(b));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && compareTo(v) == 0;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(major) * 31 * 31 + Long.hashCode(minor) * 31 + Long.hashCode(patch);
        }
    }

    @Override
    public List<CelFunctionDecl> declarations() {
        return List.of(
                fn("semver", CelOverloadDecl.newGlobalOverload("string_to_semver", TYPE, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload("string_bool_to_semver", TYPE, SimpleType.STRING, SimpleType.BOOL)),
                fn("isSemver", CelOverloadDecl.newGlobalOverload("is_semver_string", SimpleType.BOOL, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload("is_semver_string_bool", SimpleType.BOOL, SimpleType.STRING, SimpleType.BOOL)),
                fn("isGreaterThan", CelOverloadDecl.newMemberOverload("semver_is_greater_than", SimpleType.BOOL, TYPE, TYPE)),
                fn("isLessThan", CelOverloadDecl.newMemberOverload("semver_is_less_than", SimpleType.BOOL, TYPE, TYPE)),
                fn("compareTo", CelOverloadDecl.newMemberOverload("semver_compare_to", SimpleType.INT, TYPE, TYPE)),
                fn("major", CelOverloadDecl.newMemberOverload("semver_major", SimpleType.INT, TYPE)),
                fn("minor", CelOverloadDecl.newMemberOverload("semver_minor", SimpleType.INT, TYPE)),
                fn("patch", CelOverloadDecl.newMemberOverload("semver_patch", SimpleType.INT, TYPE)));
    }

    @Override
    public List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_semver", String.class, s -> toSemver(s, false)),
                CelFunctionBinding.from("string_bool_to_semver", String.class, Boolean.class, SemverLibrary::toSemver),
                CelFunctionBinding.from("is_semver_string", String.class, s -> isSemver(s, false)),
                CelFunctionBinding.from("is_semver_string_bool", String.class, Boolean.class, SemverLibrary::isSemver),
                CelFunctionBinding.from("semver_is_greater_than", Value.class, Value.class, (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("semver_is_less_than", Value.class, Value.class, (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from("semver_compare_to", Value.class, Value.class, (a, b) -> (long) a.compareTo(b)),
                CelFunctionBinding.from("semver_major", Value.class, Value::major),
                CelFunctionBinding.from("semver_minor", Value.class, Value::minor),
                CelFunctionBinding.from("semver_patch", Value.class, Value::patch));
    }

    private static Value toSemver(String s, boolean normalize) throws CelEvaluationException {
        try {
            return normalize ? normalizeAndParse(s) : parse(s);
        } catch (Functions.Invalid e) {
            throw error(e.getMessage());
        }
    }

    private static boolean isSemver(String s, boolean normalize) {
        return Functions.parses(normalize ? SemverLibrary::normalizeAndParse : SemverLibrary::parse, s);
    }

    /** The library's normalisation: no leading "v", no leading zeros, missing minor and patch as 0. */
    static Value normalizeAndParse(String s) throws Functions.Invalid {
        if (s.startsWith("v")) s = s.substring(1);
        List<String> parts = new ArrayList<>(Arrays.asList(s.split("\\.", 3)));
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            if (p.length() > 1) {
                p = p.replaceFirst("^0+", "");
                if (p.isEmpty() || !Character.isDigit(p.charAt(0))) p = "0" + p;
                parts.set(i, p);
            }
        }
        if (parts.size() < 3) {
            String last = parts.get(parts.size() - 1);
            if (last.contains("+") || last.contains("-")) throw new Functions.Invalid("short version cannot contain PreRelease/Build meta data");
            while (parts.size() < 3) parts.add("0");
        }
        return parse(String.join(".", parts));
    }

    /** blang/semver's Parse. */
    static Value parse(String s) throws Functions.Invalid {
        if (s.isEmpty()) throw new Functions.Invalid("Version string empty");
        String[] parts = s.split("\\.", 3);
        if (parts.length != 3) throw new Functions.Invalid("No Major.Minor.Patch elements found");
        long major = number(parts[0], "major number", "Major number");
        long minor = number(parts[1], "minor number", "Minor number");
        String patchText = parts[2];
        List<String> build = List.of();
        List<String> prerelease = new ArrayList<>();
        int plus = patchText.indexOf('+');
        if (plus >= 0) {
            build = Arrays.asList(patchText.substring(plus + 1).split("\\.", -1));
            patchText = patchText.substring(0, plus);
        }
        int dash = patchText.indexOf('-');
        if (dash >= 0) {
            prerelease.addAll(Arrays.asList(patchText.substring(dash + 1).split("\\.", -1)));
            patchText = patchText.substring(0, dash);
        }
        long patch = number(patchText, "patch number", "Patch number");
        for (String p : prerelease) {
            if (p.isEmpty()) throw new Functions.Invalid("Prerelease is empty");
            if (numeric(p)) {
                if (p.length() > 1 && p.startsWith("0")) {
                    throw new Functions.Invalid("Numeric PreRelease version must not contain leading zeroes " + goQuote(p));
                }
            } else if (!alphanumeric(p)) {
                throw new Functions.Invalid("Invalid character(s) found in prerelease " + goQuote(p));
            }
        }
        for (String b : build) {
            if (b.isEmpty()) throw new Functions.Invalid("Build meta data is empty");
            if (!alphanumeric(b)) throw new Functions.Invalid("Invalid character(s) found in build meta data " + goQuote(b));
        }
        return new Value(major, minor, patch, List.copyOf(prerelease));
    }

    private static long number(String s, String lower, String capital) throws Functions.Invalid {
        if (!s.chars().allMatch(c -> c >= '0' && c <= '9')) throw new Functions.Invalid("Invalid character(s) found in " + lower + " " + goQuote(s));
        if (s.length() > 1 && s.startsWith("0")) throw new Functions.Invalid(capital + " must not contain leading zeroes " + goQuote(s));
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new Functions.Invalid("strconv.ParseUint: parsing " + goQuote(s) + (s.isEmpty() ? ": invalid syntax" : ": value out of range"));
        }
    }

    static boolean numeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean alphanumeric(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-');
    }
}
