package kubefake.store.registry.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDRs as apimachinery's {@code util/validation/ip.go} checks them, parsed as
 * {@code netutils.ParseIPSloppy} and {@code ParseCIDRSloppy} do (IPv4 parts may have leading zeros).
 */
public final class IpFormats {
    public static final String INVALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    public static final String INVALID_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpFormats() {
    }

    /** {@code IsValidIP}'s problems with the value (empty when it is an IP address). */
    public static List<String> isValidIP(String value) {
        return parse(value) == null ? List.of(INVALID_IP) : List.of();
    }

    /** {@code IsValidCIDR}'s problems with the value. */
    public static List<String> isValidCIDR(String value) {
        return parseCidr(value) == null ? List.of(INVALID_CIDR) : List.of();
    }

    /** The address's bytes (4 or 16), or null when it is not an IP address. */
    public static byte[] parse(String value) {
        if (value == null || value.isEmpty()) return null;
        if (IPV4.matcher(value).matches()) {
            String[] parts = value.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int p = Integer.parseInt(parts[i]);
                if (p > 255) return null;
                out[i] = (byte) p;
            }
            return out;
        }
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) return null;
        try {
            byte[] b = InetAddress.getByName(value).getAddress(); // a literal: no lookup
            return b.length == 16 || b.length == 4 ? b : null;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** IPv4 for a 4-byte address. */
    public static boolean isIPv4(String value) {
        byte[] b = parse(value);
        return b != null && b.length == 4;
    }

    /** A parsed CIDR: the address as written and its prefix length. */
    public record Cidr(byte[] address, int prefix) {
        public boolean ipv4() {
            return address.length == 4;
        }

        /** The network's first address (the address masked by the prefix). */
        public byte[] network() {
            byte[] out = address.clone();
            for (int i = 0; i < out.length; i++) {
                int bits = Math.max(0, Math.min(8, prefix - i * 8));
                out[i] &= (byte) (0xff << (8 - bits));
            }
            return out;
        }

        /** Whether {@code ip} (same family) is inside this network. */
        public boolean contains(byte[] ip) {
            if (ip == null || ip.length != address.length) return false;
            byte[] net = network();
            for (int i = 0; i < ip.length; i++) {
                int bits = Math.max(0, Math.min(8, prefix - i * 8));
                int mask = (0xff << (8 - bits)) & 0xff;
                if ((ip[i] & mask) != (net[i] & 0xff)) return false;
            }
            return true;
        }
    }

    /** The CIDR, or null when it is not one. */
    public static Cidr parseCidr(String value) {
        if (value == null) return null;
        int slash = value.indexOf('/');
        if (slash < 0) return null;
        byte[] ip = parse(value.substring(0, slash));
        String bits = value.substring(slash + 1);
        if (ip == null || bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) return null;
        int prefix = Integer.parseInt(bits);
        if (prefix > ip.length * 8) return null;
        return new Cidr(ip, prefix);
    }
}
