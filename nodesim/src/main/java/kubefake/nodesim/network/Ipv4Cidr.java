package kubefake.nodesim.network;

/** An IPv4 network written as {@code a.b.c.d/prefix}: its first address as an unsigned int and its prefix length. */
public record Ipv4Cidr(long base, int prefix) {
    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix length out of range: " + prefix);
        long mask = mask(prefix);
        if ((base & ~mask & 0xFFFFFFFFL) != 0) {
            throw new IllegalArgumentException(format(base) + "/" + prefix + " is not the first address of its network");
        }
    }

    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + text);
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + text);
        }
        return new Ipv4Cidr(parseAddress(text.substring(0, slash)), prefix);
    }

    /** An IPv4 address as an unsigned int. */
    public static long parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + text);
        long v = 0;
        for (String p : parts) {
            int octet;
            try {
                octet = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            if (octet < 0 || octet > 255 || p.isEmpty() || p.length() > 3) throw new IllegalArgumentException("not an IPv4 address: " + text);
            v = v << 8 | octet;
        }
        return v;
    }

    public static String format(long address) {
        return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public boolean contains(long address) {
        return (address & mask(prefix)) == base;
    }

    public boolean contains(Ipv4Cidr other) {
        return other.prefix >= prefix && contains(other.base);
    }

    /** The address at offset {@code i} of the network. */
    public long address(long i) {
        if (i < 0 || i >= size()) throw new IndexOutOfBoundsException(i + " is outside " + this);
        return base + i;
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
