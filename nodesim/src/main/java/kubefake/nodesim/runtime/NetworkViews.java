package kubefake.nodesim.runtime;

import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * BusyBox 1.36's views of the pod's network namespace as Calico sets it up: {@code ip addr}, {@code ip route},
 * {@code ifconfig} and {@code netstat -tln}/{@code -an}. The pod has the loopback and eth0 (its /32 address, MTU
 * 1480 for the IPIP tunnel, the default route through Calico's link-local gateway 169.254.1.1), and what its
 * containers listen on.
 */
final class NetworkViews implements Program {
    private final String command;

    /** @param command {@code ip}, {@code ifconfig} or {@code netstat} */
    NetworkViews(String command) {
        this.command = command;
    }

    @Override
    public Running run(Context context, List<String> args, Output out, IntConsumer done) {
        String ip = context.network().podIp();
        String mac = mac(ip);
        int status = 0;
        switch (command) {
            case "ip" -> {
                String object = args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
                if ("address".startsWith(object) && !object.isEmpty()) out.out(addresses(ip, mac));
                else if ("route".startsWith(object) && !object.isEmpty()) out.out("default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n");
                else if ("link".startsWith(object) && !object.isEmpty()) out.out(links(mac));
                else {
                    out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                            + "Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n");
                    status = 1;
                }
            }
            case "ifconfig" -> out.out(ifconfig(ip, mac));
            default -> out.out(netstat(args, context.network().listening()));
        }
        done.accept(status);
        return null;
    }

    /** A MAC address derived from the pod's IP: stable for the pod, locally administered as veth ends are. */
    private static String mac(String ip) {
        int h = ip.hashCode();
        return String.format(Locale.ROOT, "%02x:%02x:%02x:%02x:%02x:%02x", 0x02 | (h >>> 24 & 0xfc), h >>> 16 & 0xff,
                h >>> 8 & 0xff, h & 0xff, ip.length() * 7 & 0xff, 0x3f);
    }

    private static String linkLocal(String mac) {
        String[] b = mac.split(":");
        int first = Integer.parseInt(b[0], 16) ^ 0x02;
        return String.format(Locale.ROOT, "fe80::%x:%x:%x:%x", first << 8 | Integer.parseInt(b[1], 16),
                Integer.parseInt(b[2], 16) << 8 | 0xff, 0xfe00 | Integer.parseInt(b[3], 16),
                Integer.parseInt(b[4], 16) << 8 | Integer.parseInt(b[5], 16));
    }

    private static String links(String mac) {
        return "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n"
                + "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
                + "2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop qlen 1000\n"
                + "    link/ipip 0.0.0.0 brd 0.0.0.0\n"
                + "4: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1480 qdisc noqueue \n"
                + "    link/ether " + mac + " brd ff:ff:ff:ff:ff:ff\n";
    }

    private static String addresses(String ip, String mac) {
        String[] link = links(mac).split("\n");
        return link[0] + "\n" + link[1] + "\n"
                + "    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n"
                + "    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n"
                + link[2] + "\n" + link[3] + "\n" + link[4] + "\n" + link[5] + "\n"
                + (ip.isEmpty() ? "" : "    inet " + ip + "/32 scope global eth0\n       valid_lft forever preferred_lft forever\n")
                + "    inet6 " + linkLocal(mac) + "/64 scope link \n       valid_lft forever preferred_lft forever\n";
    }

    private static String ifconfig(String ip, String mac) {
        return "eth0      Link encap:Ethernet  HWaddr " + mac.toUpperCase(Locale.ROOT) + "  \n"
                + (ip.isEmpty() ? "" : "          inet addr:" + ip + "  Bcast:0.0.0.0  Mask:255.255.255.255\n")
                + "          inet6 addr: " + linkLocal(mac) + "/64 Scope:Link\n"
                + "          UP BROADCAST RUNNING MULTICAST  MTU:1480  Metric:1\n"
                + "          RX packets:18 errors:0 dropped:0 overruns:0 frame:0\n"
                + "          TX packets:12 errors:0 dropped:1 overruns:0 carrier:0\n"
                + "          collisions:0 txqueuelen:0 \n"
                + "          RX bytes:1892 (1.8 KiB)  TX bytes:920 (920.0 B)\n\n"
                + "lo        Link encap:Local Loopback  \n"
                + "          inet addr:127.0.0.1  Mask:255.0.0.0\n"
                + "          inet6 addr: ::1/128 Scope:Host\n"
                + "          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n"
                + "          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n"
                + "          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n"
                + "          collisions:0 txqueuelen:1000 \n"
                + "          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n\n";
    }

    /** The listening TCP sockets ({@code -l}, or all with {@code -a}: no connection is open between commands). */
    private static String netstat(List<String> args, List<Integer> ports) {
        String flags = String.join("", args.stream().filter(a -> a.startsWith("-")).toList());
        boolean listening = flags.contains("l");
        boolean all = flags.contains("a");
        boolean tcp = flags.contains("t") || !flags.contains("u") && !flags.contains("x");
        StringBuilder b = new StringBuilder(listening && !all ? "Active Internet connections (only servers)\n"
                : all ? "Active Internet connections (servers and established)\n" : "Active Internet connections (w/o servers)\n");
        b.append("Proto Recv-Q Send-Q Local Address           Foreign Address         State       \n");
        if (tcp && (listening || all)) {
            for (int p : ports) {
                b.append(String.format(Locale.ROOT, "tcp        0      0 %-23s %-23s LISTEN      %n", "0.0.0.0:" + p, "0.0.0.0:*"));
            }
        }
        if (all && !flags.contains("t")) {
            b.append("Active UNIX domain sockets (servers and established)\nProto RefCnt Flags       Type       State         I-Node Path\n");
        }
        return b.toString();
    }
}
