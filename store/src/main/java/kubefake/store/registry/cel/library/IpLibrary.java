package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static kubefake.store.registry.cel.library.Functions.error;
import static kubefake.store.registry.cel.library.Functions.fn;
import static kubefake.store.registry.cel.library.Functions.goQuote;

/**
 * Kubernetes' IP and CIDR libraries (library/ip.go, cidr.go): {@code ip('10.0.0.1')}, {@code isIP},
 * {@code ip.isCanonical}, {@code family}, the {@code isLoopback}-style tests; {@code cidr('10.0.0.0/8')},
 * {@code isCIDR}, {@code containsIP}, {@code containsCIDR}, {@code ip()}, {@code masked}, {@code prefixLength};
 * {@code string()} of both. Addresses parse as Go's {@code netip} does (no leading zeros, no zones, no IPv4-mapped
 * IPv6) and print in their canonical form (RFC 5952 for IPv6).
 */
final class IpLibrary implements CelLibrary {
    static final CelType IP = OpaqueType.create("net.IP");
    static final CelType CIDR = OpaqueType.create("net.CIDR");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
    record Ip(byte[] bytes) {
        int family() {
            return bytes.length == 4 ? 4 : 6;
        }

        private int u(int i) {
            return bytes[i] & 0xff;
        }

        boolean unspecified() {
            for (byte b : bytes) if (b != 0) return false;
            return true;
        }

        boolean loopback() {
            if (bytes.length == 4) return u(0) == 127;
            for (int i = 0; i < 15; i++) if (bytes[i] != 0) return false;
            return u(15) == 1;
        }

        boolean multicast() {
            return bytes.length == 4 ? (u(0) & 0xf0) == 0xe0 : u(0) == 0xff;
        }

        boolean linkLocalMulticast() {
            return bytes.length == 4 ? u(0) == 224 && u(1) == 0 && u(2) == 0 : u(0) == 0xff && (u(1) & 0x0f) == 0x02;
        }

        boolean linkLocalUnicast() {
            return bytes.length == 4 ? u(0) == 169 && u(1) == 254 : u(0) == 0xfe && (u(1) & 0xc0) == 0x80;
        }

        boolean globalUnicast() {
            boolean broadcast = bytes.length == 4 && u(0) == 255 && u(1) == 255 && u(2) == 255 && u(3) == 255;
            return !broadcast && !unspecified() && !loopback() && !multicast() && !linkLocalUnicast();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ip other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        /** Go's netip.Addr.String(): dotted quad, or RFC 5952 (lower case, the longest run of zero groups as ::). */
        @Override
        public String toString() {
            if (bytes.length == 4) return u(0) + "." + u(1) + "." + u(2) + "." + u(3);
            int[] g = new int[8];
            for (int i = 0; i < 8; i++) g[i] = (u(2 * i) << 8) | u(2 * i + 1);
            int bestStart = -1;
            int bestLen = 0;
            for (int i = 0; i < 8; ) {
                if (g[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && g[j] == 0) j++;
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    b.append("::");
                    i += bestLen - 1;
                    continue;
                }
                if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
                b.append(Integer.toHexString(g[i]));
            }
            return b.toString();
        }

        Ip masked(int bits) {
            byte[] m = bytes.clone();
            for (int i = 0; i < m.length; i++) {
                int keep = Math.max(0, Math.min(8, bits - 8 * i));
                m[i] = (byte) (m[i] & (0xff << (8 - keep)));
            }
            return new Ip(m);
        }
    }

    /** A prefix: an address and how many of its leading bits are the network. */
    record Cidr(Ip address, int bits) {
        boolean contains(Ip ip) {
            return ip.family() == address.family() && ip.masked(bits).equals(address.masked(bits));
        }

        @Override
        public String toString() {
            return address + "/" + bits;
        }
    }

    @Override
    public List<CelFunctionDecl> declarations() {
        return List.of(
                fn("ip", CelOverloadDecl.newGlobalOverload("string_to_ip", IP, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_ip", IP, CIDR)),
                fn("family", CelOverloadDecl.newMemberOverload("ip_family", SimpleType.INT, IP)),
                fn("ip.isCanonical", CelOverloadDecl.newGlobalOverload("ip_is_canonical", SimpleType.BOOL, SimpleType.STRING)),
                fn("isUnspecified", CelOverloadDecl.newMemberOverload("ip_is_unspecified", SimpleType.BOOL, IP)),
                fn("isLoopback", CelOverloadDecl.newMemberOverload("ip_is_loopback", SimpleType.BOOL, IP)),
                fn("isLinkLocalMulticast", CelOverloadDecl.newMemberOverload("ip_is_link_local_multicast", SimpleType.BOOL, IP)),
                fn("isLinkLocalUnicast", CelOverloadDecl.newMemberOverload("ip_is_link_local_unicast", SimpleType.BOOL, IP)),
                fn("isGlobalUnicast", CelOverloadDecl.newMemberOverload("ip_is_global_unicast", SimpleType.BOOL, IP)),
                fn("isIP", CelOverloadDecl.newGlobalOverload("is_ip", SimpleType.BOOL, SimpleType.STRING)),
                fn("string", CelOverloadDecl.newGlobalOverload("ip_to_string", SimpleType.STRING, IP),
                        CelOverloadDecl.newGlobalOverload("cidr_to_string", SimpleType.STRING, CIDR)),
                fn("cidr", CelOverloadDecl.newGlobalOverload("string_to_cidr", CIDR, SimpleType.STRING)),
                fn("containsIP", CelOverloadDecl.newMemberOverload("cidr_contains_ip_string", SimpleType.BOOL, CIDR, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_contains_ip_ip", SimpleType.BOOL, CIDR, IP)),
                fn("containsCIDR", CelOverloadDecl.newMemberOverload("cidr_contains_cidr_string", SimpleType.BOOL, CIDR, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_contains_cidr", SimpleType.BOOL, CIDR, CIDR)),
                fn("prefixLength", CelOverloadDecl.newMemberOverload("cidr_prefix_length", SimpleType.INT, CIDR)),
                fn("masked", CelOverloadDecl.newMemberOverload("cidr_masked", CIDR, CIDR)),
                fn("isCIDR", CelOverloadDecl.newGlobalOverload("is_cidr", SimpleType.BOOL, SimpleType.STRING)));
    }

    @Override
    public List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_ip", String.class, IpLibrary::toIp),
                CelFunctionBinding.from("cidr_ip", Cidr.class, Cidr::address),
                CelFunctionBinding.from("ip_family", Ip.class, ip -> (long) ip.family()),
                CelFunctionBinding.from("ip_is_canonical", String.class, s -> toIp(s).toString().equals(s)),
                CelFunctionBinding.from("ip_is_unspecified", Ip.class, Ip::unspecified),
                CelFunctionBinding.from("ip_is_loopback", Ip.class, Ip::loopback),
                CelFunctionBinding.from("ip_is_link_local_multicast", Ip.class, Ip::linkLocalMulticast),
                CelFunctionBinding.from("ip_is_link_local_unicast", Ip.class, Ip::linkLocalUnicast),
                CelFunctionBinding.from("ip_is_global_unicast", Ip.class, Ip::globalUnicast),
                CelFunctionBinding.from("is_ip", String.class, s -> Functions.parses(IpLibrary::ip, s)),
                CelFunctionBinding.from("ip_to_string", Ip.class, Ip::toString),
                CelFunctionBinding.from("cidr_to_string", Cidr.class, Cidr::toString),
                CelFunctionBinding.from("string_to_cidr", String.class, IpLibrary::toCidr),
                CelFunctionBinding.from("cidr_contains_ip_string", Cidr.class, String.class, (c, s) -> c.contains(toIp(s))),
                CelFunctionBinding.from("cidr_contains_ip_ip", Cidr.class, Ip.class, Cidr::contains),
                CelFunctionBinding.from("cidr_contains_cidr_string", Cidr.class, String.class, (c, s) -> containsCidr(c, toCidr(s))),
                CelFunctionBinding.from("cidr_contains_cidr", Cidr.class, Cidr.class, IpLibrary::containsCidr),
                CelFunctionBinding.from("cidr_prefix_length", Cidr.class, c -> (long) c.bits()),
                CelFunctionBinding.from("cidr_masked", Cidr.class, c -> new Cidr(c.address().masked(c.bits()), c.bits())),
                CelFunctionBinding.from("is_cidr", String.class, s -> Functions.parses(IpLibrary::cidr, s)));
    }

    private static boolean containsCidr(Cidr outer, Cidr inner) {
        return outer.bits() <= inner.bits() && outer.contains(inner.address());
    }

    private static Ip toIp(String s) throws CelEvaluationException {
        try {
            return ip(s);
        } catch (Functions.Invalid e) {
            throw error(e.getMessage());
        }
    }

    private static Cidr toCidr(String s) throws CelEvaluationException {
        try {
            return cidr(s);
        } catch (Functions.Invalid e) {
            throw error("network address parse error during conversion from string: " + e.getMessage());
        }
    }

    /** The library's parseIPAddr: netip.ParseAddr, then no zone and no IPv4-mapped IPv6. */
    static Ip ip(String raw) throws Functions.Invalid {
        String problem = parseProblem(raw);
        if (problem != null) {
            throw new Functions.Invalid("IP Address " + goQuote(raw) + " parse error during conversion from string: ParseAddr("
                    + goQuote(raw) + "): " + problem);
        }
        if (raw.contains("%")) throw new Functions.Invalid("IP address " + goQuote(raw) + " with zone value is not allowed");
        Ip ip = address(raw);
        if (ip == null) throw new Functions.Invalid("IPv4-mapped IPv6 address " + goQuote(raw) + " is not allowed");
        return ip;
    }

    /** The library's parseCIDR: netip.ParsePrefix, then no IPv4-mapped IPv6. */
    static Cidr cidr(String raw) throws Functions.Invalid {
        String prefix = "network address parse error during conversion from string: netip.ParsePrefix(" + goQuote(raw) + "): ";
        int slash = raw.lastIndexOf('/');
        if (slash < 0) throw new Functions.Invalid(prefix + "no '/'");
        String addr = raw.substring(0, slash);
        String bits = raw.substring(slash + 1);
        String problem = parseProblem(addr);
        if (problem != null) throw new Functions.Invalid(prefix + "ParseAddr(" + goQuote(addr) + "): " + problem);
        if (addr.contains("%")) throw new Functions.Invalid(prefix + "IPv6 zones cannot be present in a prefix");
        if (bits.isEmpty() || !bits.chars().allMatch(Character::isDigit) || bits.length() > 1 && bits.startsWith("0")
                || bits.length() > 3) {
            throw new Functions.Invalid(prefix + "bad bits after slash: " + goQuote(bits));
        }
        Ip ip = address(addr);
        if (ip == null) throw new Functions.Invalid("IPv4-mapped IPv6 address " + goQuote(raw) + " is not allowed");
        int n = Integer.parseInt(bits);
        if (n > ip.bytes().length * 8) throw new Functions.Invalid(prefix + "prefix length out of range");
        return new Cidr(ip, n);
    }

    /** Why netip.ParseAddr refuses a string, or null when it parses (zones allowed here; the callers refuse them). */
    private static String parseProblem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') return ipv4Problem(s);
            if (c == ':') return ipv6Problem(s);
            if (c == '%') return "missing IPv6 address";
        }
        return "unable to parse IP";
    }

    private static String ipv4Problem(String s) {
        String[] fields = s.split("\\.", -1);
        for (String f : fields) {
            if (f.isEmpty()) return fields.length > 4 ? "IPv4 address too long" : "IPv4 field must have at least one digit";
            if (!f.chars().allMatch(c -> c >= '0' && c <= '9')) return "unexpected character";
            if (f.length() > 1 && f.startsWith("0")) return "IPv4 field has octet with leading zero";
            if (f.length() > 3 || Integer.parseInt(f) > 255) return "IPv4 field has value >255";
        }
        if (fields.length < 4) return "IPv4 address too short";
        if (fields.length > 4) return "IPv4 address too long";
        return null;
    }

    private static String ipv6Problem(String s) {
        String address = s.contains("%") ? s.substring(0, s.indexOf('%')) : s;
        if (s.endsWith("%")) return "zone must be a non-empty string";
        if (!IPV6_CHARS.matcher(address).matches()) return "unexpected character";
        try {
            InetAddress.getByName(address.contains(":") ? address : "invalid");
            return null;
        } catch (UnknownHostException | RuntimeException e) {
            return "unable to parse IP";
        }
    }

    /** The address of a string that parses; null for an IPv4-mapped IPv6 address. */
    private static Ip address(String s) {
        String address = s.contains("%") ? s.substring(0, s.indexOf('%')) : s;
        try {
            InetAddress a = InetAddress.getByName(address);
            if (a instanceof Inet4Address && address.contains(":")) return null;
            return new Ip(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("parsed before: " + s, e);
        }
    }
}
