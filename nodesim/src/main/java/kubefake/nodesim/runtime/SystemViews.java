package kubefake.nodesim.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * BusyBox 1.36's {@code df [-h]}, {@code free [-m|-h]} and {@code uptime} in a pod on one of the lab's workers (a
 * 2 GiB VM with a 40 GB disk, Rocky Linux's root on /dev/sda1): the container's mounts (its overlay root, the
 * kubelet's files from the node's disk, the service account token's tmpfs), the node's memory, and how long the node
 * has been up (it booted a while before the container started).
 */
final class SystemViews implements Program {
    private static final long DISK_KB = 40_106_040;
    private static final long DISK_USED_KB = 10_520_304;
    private static final long TMPFS_KB = 65_536;
    private static final long TOKEN_KB = 1_863_624;
    private static final Duration BOOTED_BEFORE_CONTAINER = Duration.ofMinutes(23);

    private final String command;

    /** @param command {@code df}, {@code free} or {@code uptime} */
    SystemViews(String command) {
        this.command = command;
    }

    @Override
    public Running run(Context context, List<String> args, Output out, IntConsumer done) {
        String flags = String.join("", args.stream().filter(a -> a.startsWith("-")).toList());
        switch (command) {
            case "df" -> out.out(df(flags.contains("h")));
            case "free" -> out.out(free(flags.contains("m") ? 1024 : flags.contains("h") ? 0 : 1));
            default -> out.out(uptime(context.container().startedAt(), Instant.now()));
        }
        done.accept(0);
        return null;
    }

    private static String df(boolean human) {
        StringBuilder b = new StringBuilder("Filesystem           " + String.format("%-15s", human ? "     Size" : "1K-blocks")
                + "Used Available Use% Mounted on\n");
        long free = DISK_KB - DISK_USED_KB;
        for (String[] m : new String[][] {{"overlay", "/"}, {"tmpfs", "/dev"}, {"shm", "/dev/shm"}, {"/dev/sda1", "/etc/hosts"},
                {"/dev/sda1", "/dev/termination-log"}, {"/dev/sda1", "/etc/hostname"}, {"/dev/sda1", "/etc/resolv.conf"},
                {"tmpfs", "/var/run/secrets/kubernetes.io/serviceaccount"}, {"tmpfs", "/proc/acpi"}, {"tmpfs", "/proc/kcore"},
                {"tmpfs", "/proc/keys"}, {"tmpfs", "/proc/timer_list"}, {"tmpfs", "/sys/firmware"}}) {
            long size;
            long used;
            if (m[0].equals("overlay") || m[0].equals("/dev/sda1")) {
                size = DISK_KB;
                used = DISK_USED_KB;
            } else if (m[1].startsWith("/var/run/secrets")) {
                size = TOKEN_KB;
                used = 12;
            } else {
                size = m[1].startsWith("/dev") ? TMPFS_KB : TOKEN_KB / 2;
                used = 0;
            }
            long available = m[0].equals("overlay") || m[0].equals("/dev/sda1") ? free : size - used;
            long total = used + available; // df's rounding: of what non-root users can have
            int percent = total == 0 ? 0 : (int) ((used * 100 + total / 2) / total);
            b.append(String.format(Locale.ROOT, "%-20s", m[0]));
            if (human) {
                b.append(String.format(Locale.ROOT, " %9s %9s %9s %3d%% %s%n", human(size), human(used), human(available), percent, m[1]));
            } else {
                b.append(String.format(Locale.ROOT, " %9d %9d %9d %3d%% %s%n", size, used, available, percent, m[1]));
            }
        }
        return b.toString();
    }

    /** BusyBox's human-readable size of a count of kilobytes: one decimal, the unit's letter; 0 as is. */
    private static String human(long kb) {
        if (kb == 0) return "0";
        double v = kb;
        String units = "KMGTP";
        int i = 0;
        while (v >= 1024 && i < units.length() - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f%c", v, units.charAt(i));
    }

    /** @param unitKb 1: kilobytes, 1024: megabytes, 0: human-readable */
    private static String free(int unitKb) {
        long[] mem = {1_865_400, 612_344, 402_116, 4_312, 850_940, 1_091_208};
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "       %12s%12s%12s%12s%12s%12s%nMem:   ",
                "total", "used", "free", "shared", "buff/cache", "available"));
        for (long v : mem) b.append(String.format(Locale.ROOT, "%12s", scale(v, unitKb)));
        b.append("\nSwap:  ").append(String.format(Locale.ROOT, "%12s%12s%12s%n", scale(0, unitKb), scale(0, unitKb), scale(0, unitKb)));
        return b.toString();
    }

    private static String scale(long kb, int unitKb) {
        if (unitKb == 0) return kb == 0 ? "0" : human(kb);
        return Long.toString(kb / unitKb);
    }

    private static String uptime(Instant containerStarted, Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        long up = Duration.between(containerStarted.minus(BOOTED_BEFORE_CONTAINER), now).toSeconds();
        long days = up / 86400;
        long minutes = up / 60;
        long hours = minutes / 60 % 24;
        minutes %= 60;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, " %02d:%02d:%02d up ", t.getHour(), t.getMinute(), t.getSecond()));
        if (days != 0) b.append(days).append(days != 1 ? " days, " : " day, ");
        b.append(hours != 0 ? String.format(Locale.ROOT, "%2d:%02d", hours, minutes) : minutes + " min");
        return b.append(",  0 users,  load average: 0.08, 0.05, 0.01\n").toString();
    }
}
