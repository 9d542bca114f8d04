package kubefake.store.registry.validation;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The string formats a CRD schema may name that the API server checks (kube-openapi's strfmt registry as
 * apiextensions-apiserver configures it); formats it does not know pass, as there. CRD schemas and CEL's format
 * library check with it.
 */
public final class SchemaFormats {
    private static final Pattern UUID = Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
    private static final Pattern HOSTNAME = Pattern.compile(
            "^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern MAC = Pattern.compile("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$");
    private static final Pattern HEX_COLOR = Pattern.compile("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
    private static final Pattern DURATION = Pattern.compile("^(\\d+(\\.\\d+)?\\s*(ns|us|µs|ms|s|m|h|d|w)\\s*)+$");

    private SchemaFormats() {
    }

    /** Whether {@code value} has the format (true for formats the server does not check). */
    public static boolean valid(String format, String value) {
        return switch (format) {
            case "date-time", "datetime" -> dateTime(value);
            case "date" -> date(value);
            case "uuid", "uuid3", "uuid4", "uuid5" -> UUID.matcher(value).matches();
            case "ipv4" -> IPV4.matcher(value).matches();
            case "ipv6" -> value.contains(":") && ipv6(value);
            case "cidr" -> cidr(value);
            case "hostname" -> HOSTNAME.matcher(value).matches();
            case "email" -> EMAIL.matcher(value).matches();
            case "mac" -> MAC.matcher(value).matches();
            case "hexcolor" -> HEX_COLOR.matcher(value).matches();
            case "byte" -> base64(value);
            case "duration" -> DURATION.matcher(value).matches();
            default -> true;
        };
    }

    private static boolean dateTime(String value) {
        try {
            OffsetDateTime.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean date(String value) {
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean ipv6(String value) {
        try {
            return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static boolean cidr(String value) {
        int slash = value.indexOf('/');
        if (slash < 0) return false;
        String ip = value.substring(0, slash);
        String bits = value.substring(slash + 1);
        if (!bits.matches("\\d{1,3}")) return false;
        int n = Integer.parseInt(bits);
        if (IPV4.matcher(ip).matches()) return n <= 32;
        return ip.contains(":") && ipv6(ip) && n <= 128;
    }

    private static boolean base64(String value) {
        try {
            Base64.getDecoder().decode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
