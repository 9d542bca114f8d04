package kubefake.nodesim.runtime;

import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * BusyBox 1.36's {@code nc HOST PORT}: {@code -z} only connects (a port scan), {@code -v} says {@code HOST (IP:PORT)
 * open} on stderr, and with {@code -vv} a refusal too; {@code -w SEC} limits the connect's wait (a dropped one waits
 * for the kernel's 130 s otherwise) and an idle connection. Status 1 when it could not connect. Without {@code -z}
 * the open connection relays stdin, which nothing simulates: it stays open until {@code -w} or the exec ends.
 */
final class Netcat implements Program {
    private static final long KERNEL_CONNECT_TIMEOUT = 130;

    @Override
    public Running run(Context context, List<String> args, Output out, IntConsumer done) {
        boolean zero = false;
        int verbose = 0;
        long wait = 0;
        String host = null;
        String port = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-") && a.length() > 1) {
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    if (c == 'z') zero = true;
                    else if (c == 'v') verbose++;
                    else if (c == 'n') continue;
                    else if (c == 'w') {
                        String value = j + 1 < a.length() ? a.substring(j + 1) : i + 1 < args.size() ? args.get(++i) : "0";
                        try {
                            wait = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            out.err("nc: invalid number '" + value + "'\n");
                            done.accept(1);
                            return null;
                        }
                        break;
                    } else {
                        return usage(out, done);
                    }
                }
            } else if (host == null) {
                host = a;
            } else if (port == null) {
                port = a;
            }
        }
        if (host == null || port == null) return usage(out, done);
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            out.err("nc: bad port '" + port + "'\n");
            done.accept(1);
            return null;
        }
        String ip = context.resolver().resolve(host);
        if (ip == null) {
            out.err("nc: bad address '" + host + "'\n");
            done.accept(1);
            return null;
        }
        String peer = host + " (" + ip + ":" + number + ")";
        int v = verbose;
        switch (context.network().connect(ip, number)) {
            case OPEN -> {
                if (v > 0) out.err(peer + " open\n");
                if (zero) {
                    done.accept(0);
                    return null;
                }
                if (wait == 0) return () -> { };
                Runnable timer = context.timer().after(Duration.ofSeconds(wait), () -> done.accept(0));
                return timer::run;
            }
            case REFUSED -> {
                if (v > 1) out.err("nc: " + peer + ": Connection refused\n");
                done.accept(1);
                return null;
            }
            default -> {
                long seconds = wait == 0 ? KERNEL_CONNECT_TIMEOUT : Math.min(wait, KERNEL_CONNECT_TIMEOUT);
                Runnable timer = context.timer().after(Duration.ofSeconds(seconds), () -> {
                    if (v > 0) out.err("nc: " + peer + ": Connection timed out\n");
                    done.accept(1);
                });
                return timer::run;
            }
        }
    }

    private static Running usage(Output out, IntConsumer done) {
        out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                + "Usage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n");
        done.accept(1);
        return null;
    }
}
