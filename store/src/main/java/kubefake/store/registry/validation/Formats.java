package kubefake.store.registry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * The string formats of Kubernetes names and keys (apimachinery's {@code util/validation}): each check returns
 * the list of problems, empty when the value is valid, worded exactly like the real server's messages.
 */
public final class Formats {

    private Formats() {
    }

    /** Longest DNS-1123 label and DNS-1035 label. */
    public static final int DNS1123_LABEL_MAX = 63;
    /** Longest DNS-1123 subdomain. */
    public static final int DNS1123_SUBDOMAIN_MAX = 253;
    /** Longest label value and qualified-name name part. */
    public static final int LABEL_VALUE_MAX = 63;

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String PERCENT_FMT = "[0-9]+%";
    private static final String ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    private static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";

    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile(CONFIG_MAP_KEY_FMT);
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
    private static final Pattern ENV_VAR_NAME = Pattern.compile(ENV_VAR_NAME_FMT);
    private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FMT);
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
    private static final Pattern ONE_LETTER = Pattern.compile(".*[a-z].*", Pattern.DOTALL);

    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case "
            + "alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower "
            + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric "
            + "characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /** {@code must be no more than N characters}. */
    public static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    /** A regex failure message with examples, as Go's {@code RegexError}. */
    public static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    /** {@code must be between lo and hi, inclusive}. */
    public static String inclusiveRangeError(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    /** Length in bytes, as Go's {@code len} counts a string. */
    static int byteLength(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) return s.getBytes(StandardCharsets.UTF_8).length;
        }
        return s.length(); // ASCII: a byte a character
    }

    // The formats every write checks (names, label keys and values), as loops over the characters: each matches
    // exactly what its regular expression (the *_FMT above, quoted in the messages) matches, for a tenth of the cost.

    private static boolean lowerAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    private static boolean alnum(char c) {
        return lowerAlnum(c) || c >= 'A' && c <= 'Z';
    }

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?} over value[from, to). */
    private static boolean dns1123Label(String value, int from, int to) {
        if (to <= from || !lowerAlnum(value.charAt(from)) || !lowerAlnum(value.charAt(to - 1))) return false;
        for (int i = from + 1; i < to - 1; i++) {
            char c = value.charAt(i);
            if (c != '-' && !lowerAlnum(c)) return false;
        }
        return true;
    }

    /** {@code DNS1123_LABEL_FMT(\.DNS1123_LABEL_FMT)*}. */
    static boolean matchesDNS1123Subdomain(String value) {
        int from = 0;
        while (true) {
            int dot = value.indexOf('.', from);
            int to = dot < 0 ? value.length() : dot;
            if (!dns1123Label(value, from, to)) return false;
            if (dot < 0) return true;
            from = dot + 1;
        }
    }

    static boolean matchesDNS1123Label(String value) {
        return dns1123Label(value, 0, value.length());
    }

    /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]}. */
    static boolean matchesQualifiedName(String value) {
        int n = value.length();
        if (n == 0 || !alnum(value.charAt(0)) || !alnum(value.charAt(n - 1))) return false;
        for (int i = 1; i < n - 1; i++) {
            char c = value.charAt(i);
            if (c != '-' && c != '_' && c != '.' && !alnum(c)) return false;
        }
        return true;
    }

    /** A DNS (RFC 1123) label: container names, namespace names, port names of services... */
    public static List<String> isDNS1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLength(value) > DNS1123_LABEL_MAX) {
            errs.add(maxLenError(DNS1123_LABEL_MAX));
        }
        if (!matchesDNS1123Label(value)) {
            if (matchesDNS1123Subdomain(value)) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    /** A DNS (RFC 1123) subdomain: most object names. */
    public static List<String> isDNS1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX));
        }
        if (!matchesDNS1123Subdomain(value)) {
            errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** A DNS (RFC 1035) label: service names. */
    public static List<String> isDNS1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLength(value) > DNS1123_LABEL_MAX) {
            errs.add(maxLenError(DNS1123_LABEL_MAX));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /** A qualified name ({@code [prefix/]name}): label keys, annotation keys, finalizers. */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part must be non-empty");
                } else {
                    for (String m : isDNS1123Subdomain(prefix)) {
                        errs.add("prefix part " + m);
                    }
                }
            }
            default -> {
                errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName",
                        "my.name", "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. "
                        + "'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (byteLength(name) > LABEL_VALUE_MAX) {
            errs.add("name part " + maxLenError(LABEL_VALUE_MAX));
        }
        if (!matchesQualifiedName(name)) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name",
                    "123-abc"));
        }
        return errs;
    }

    /** A label value (may be empty). */
    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLength(value) > LABEL_VALUE_MAX) {
            errs.add(maxLenError(LABEL_VALUE_MAX));
        }
        if (!value.isEmpty() && !matchesQualifiedName(value)) {
            errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** A ConfigMap or Secret data key. */
    public static List<String> isConfigMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX));
        }
        if (!CONFIG_MAP_KEY.matcher(value).matches()) {
            errs.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        errs.addAll(hasChDirPrefix(value));
        return errs;
    }

    private static List<String> hasChDirPrefix(String value) {
        if (value.equals(".")) {
            return List.of("must not be '.'");
        }
        if (value.equals("..")) {
            return List.of("must not be '..'");
        }
        if (value.startsWith("..")) {
            return List.of("must not start with '..'");
        }
        return List.of();
    }

    /** A port number 1..65535. */
    public static List<String> isValidPortNum(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRangeError(1, 65535));
    }

    /** A named port (IANA service name): at most 15 characters, lower case, at least one letter. */
    public static List<String> isValidPortName(String port) {
        List<String> errs = new ArrayList<>();
        if (byteLength(port) > 15) {
            errs.add(maxLenError(15));
        }
        if (!PORT_NAME_CHARSET.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!ONE_LETTER.matcher(port).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    /** A percentage string such as {@code 25%}. */
    public static List<String> isValidPercent(String percent) {
        return PERCENT.matcher(percent).matches() ? List.of()
                : List.of(regexError("a valid percent string must be a numeric string followed by an ending '%'",
                PERCENT_FMT, "1%", "93%"));
    }

    /** An environment variable name. */
    public static List<String> isEnvVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (!ENV_VAR_NAME.matcher(value).matches()) {
            errs.add(regexError("a valid environment variable name must consist of alphabetic characters, "
                            + "digits, '_', '-', or '.', and must not start with a digit", ENV_VAR_NAME_FMT,
                    "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        }
        errs.addAll(hasChDirPrefix(value));
        return errs;
    }

    /** A C identifier. */
    public static List<String> isCIdentifier(String value) {
        return C_IDENTIFIER.matcher(value).matches() ? List.of()
                : List.of(regexError("a valid C identifier must start with alphabetic character or '_', "
                + "followed by a string of alphanumeric characters or '_'", C_IDENTIFIER_FMT, "my_name",
                "MY_NAME", "MyName"));
    }

    /**
     * The name check used for most objects, with Go's rule for {@code generateName} prefixes: a trailing dash is
     * allowed because random characters follow it.
     */
    public static List<String> nameIsDNSSubdomain(String name, boolean prefix) {
        return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
    }

    /** Name check for namespaces and other DNS-label names. */
    public static List<String> nameIsDNSLabel(String name, boolean prefix) {
        return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
    }

    /** Name check for services. */
    public static List<String> nameIsDNS1035Label(String name, boolean prefix) {
        return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
    }

    /** Name check for kinds whose names are used in URL paths only (RBAC): no '/', '%', '.', '..'. */
    public static List<String> isValidPathSegmentName(String name, boolean prefix) {
        List<String> errs = new ArrayList<>();
        if (!prefix && (name.equals(".") || name.equals(".."))) {
            errs.add("may not be '" + name + "'");
        }
        for (String illegal : new String[]{"/", "%"}) {
            if (name.contains(illegal)) {
                errs.add("may not contain '" + illegal + "'");
            }
        }
        return errs;
    }

    private static String maskTrailingDash(String name) {
        if (name.length() > 1 && name.endsWith("-")) {
            return name.substring(0, name.length() - 1) + "a";
        }
        return name;
    }
}
