package kubefake.nodesim.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BusyBox 1.36.1's {@code timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS}, parsed: PROG runs in timeout's place (same
 * process), a watcher sends it SIG after SECS (whole seconds, at least one: it counts in one-second steps), then KILL
 * after KILL_SECS if that is set. Its status is PROG's own; one killed by the signal ends with 128 + its number (not
 * coreutils' 124).
 *
 * @param signal      the signal's number
 * @param after       when the signal is sent
 * @param killAfter   when KILL follows it, or null
 * @param command     PROG and its arguments
 * @param error       what timeout prints on stderr when it cannot run PROG (then status 1), else null
 */
record Timeout(int signal, Duration after, Duration killAfter, List<String> command, String error) {
    static final int SIGKILL = 9;
    private static final String USAGE = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
            + "Usage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n\n"
            + "Run PROG. Send SIG to it if it is not gone in SECS seconds.\n"
            + "Default SIG: TERM.If it still exists in KILL_SECS seconds, send KILL.\n";
    /** Linux's signal numbers for the names BusyBox knows (x86 and arm). */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    static Timeout parse(List<String> args) {
        String signalName = "TERM";
        String kill = null;
        int i = 0;
        // options end at the first operand ("+s:k:"), or after "--"
        while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
            String a = args.get(i++);
            if (a.equals("--")) break;
            char option = a.charAt(1);
            if (option != 's' && option != 'k') return failure("timeout: invalid option -- '" + option + "'\n" + USAGE);
            String value;
            if (a.length() > 2) value = a.substring(2);
            else if (i < args.size()) value = args.get(i++);
            else return failure("timeout: option requires an argument -- '" + option + "'\n" + USAGE);
            if (option == 's') signalName = value;
            else kill = value;
        }
        int signal = signal(signalName);
        if (signal < 0) return failure("timeout: unknown signal '" + signalName + "'\n");
        long killSeconds = 0;
        if (kill != null) {
            killSeconds = seconds(kill);
            if (killSeconds < 0) return failure(killSeconds == -1 ? "timeout: invalid number '" + kill + "'\n" : USAGE);
        }
        if (i >= args.size()) return failure(USAGE);
        String secs = args.get(i++);
        long seconds = seconds(secs);
        if (seconds < 0) return failure(seconds == -1 ? "timeout: invalid number '" + secs + "'\n" : USAGE);
        if (i >= args.size()) return failure(USAGE);
        return new Timeout(signal, Duration.ofSeconds(Math.max(1, seconds)),
                killSeconds > 0 ? Duration.ofSeconds(killSeconds) : null, List.copyOf(args.subList(i, args.size())), null);
    }

    /** The message of a PROG that is not there (BusyBox's exec failure), status 127. */
    static String cannotExecute(String program) {
        return "timeout: can't execute '" + program + "': No such file or directory\n";
    }

    private static Timeout failure(String message) {
        return new Timeout(0, null, null, List.of(), message);
    }

    /** A number below 65 as is, else a name with or without "SIG", in any case; -1 when none. */
    private static int signal(String name) {
        if (name.matches("[0-9]{1,9}")) {
            int n = Integer.parseInt(name);
            if (n < 65) return n;
        }
        String bare = name.toUpperCase(Locale.ROOT);
        if (bare.startsWith("SIG")) bare = bare.substring(3);
        if (bare.equals("IOT")) return 6;
        if (bare.equals("IO")) return 29;
        return SIGNALS.getOrDefault(bare, -1);
    }

    /**
     * Whole seconds of a duration with an optional s, m, h or d suffix (a fraction is cut off as timeout's int does):
     * -1 for an invalid number, -2 for a malformed fraction (which shows the usage).
     */
    private static long seconds(String text) {
        int end = text.length();
        long unit = 1;
        if (end > 0) {
            switch (text.charAt(end - 1)) {
                case 's' -> end--;
                case 'm' -> { end--; unit = 60; }
                case 'h' -> { end--; unit = 3600; }
                case 'd' -> { end--; unit = 86400; }
                default -> { }
            }
        }
        String number = text.substring(0, end);
        if (text.contains(".")) {
            if (!number.matches("[0-9.]*") || !number.matches("[0-9]*\\.?[0-9]*") || number.equals(".")) return -2;
            return (long) (Double.parseDouble(number) * unit);
        }
        if (!number.matches("[0-9]{1,18}")) return -1;
        return Long.parseLong(number) * unit;
    }
}
