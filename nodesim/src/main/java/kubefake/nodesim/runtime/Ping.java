package kubefake.nodesim.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * BusyBox 1.36's {@code ping}: one echo request a second ({@code -i}), {@code -c} of them or until interrupted, each
 * answer on its line as it comes back; then the statistics. Without any answer it waits {@code -W} seconds (10) after
 * the last request; {@code -w} ends it after that many seconds whatever. A ClusterIP never answers (kube-proxy forwards
 * only its ports), a pod does. Status 1 when nothing came back.
 */
final class Ping implements Program {
    private Context context;
    private Output out;
    private IntConsumer done;
    private String host;
    private String ip;
    private int ttl;
    private long count;
    private long interval;
    private long waitNoAnswer = 10_000;
    private long deadline;
    private boolean quiet;
    private int transmitted;
    private int received;
    private long elapsed;
    private final long[] times = {Long.MAX_VALUE, 0, 0}; // min, max, sum in microseconds
    private Runnable pending;
    private boolean ended;

    @Override
    public Running run(Context context, List<String> args, Output out, IntConsumer done) {
        this.context = context;
        this.out = out;
        this.done = done;
        interval = 1000;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("-") && a.length() > 1) {
                    char o = a.charAt(1);
                    if (o == 'q') {
                        quiet = true;
                        continue;
                    }
                    if ("4".indexOf(o) >= 0) continue;
                    String value = a.length() > 2 ? a.substring(2) : i + 1 < args.size() ? args.get(++i) : null;
                    if (value == null || "cWwis".indexOf(o) < 0) return usage();
                    switch (o) {
                        case 'c' -> count = Long.parseLong(value);
                        case 'W' -> waitNoAnswer = Long.parseLong(value) * 1000;
                        case 'w' -> deadline = Long.parseLong(value) * 1000;
                        case 'i' -> interval = (long) (Double.parseDouble(value) * 1000);
                        default -> {
                        }
                    }
                } else if (host == null) {
                    host = a;
                } else {
                    return usage();
                }
            }
        } catch (NumberFormatException e) {
            out.err("ping: invalid number '" + e.getMessage().replaceFirst(".*\"(.*)\"", "$1") + "'\n");
            done.accept(1);
            return null;
        }
        if (host == null) return usage();
        ip = context.resolver().resolve(host);
        if (ip == null) {
            out.err("ping: bad address '" + host + "'\n");
            done.accept(1);
            return null;
        }
        ttl = context.network().echoTtl(ip);
        out.out("PING " + host + " (" + ip + "): 56 data bytes\n");
        send();
        if (ended) return null;
        return new Running() {
            @Override
            public void kill() {
                cancel();
                ended = true;
            }

            @Override
            public boolean interrupt() {
                cancel();
                finish();
                return true;
            }
        };
    }

    private Running usage() {
        out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                + "Usage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n");
        done.accept(1);
        return null;
    }

    /** Sends echo request number {@code transmitted}; its answer comes back at once on the simulated network. */
    private void send() {
        if (deadline > 0 && elapsed >= deadline) {
            finish();
            return;
        }
        int seq = transmitted++;
        if (ttl > 0) {
            received++;
            long micros = ttl == 64 ? ThreadLocalRandom.current().nextLong(30, 90) : ThreadLocalRandom.current().nextLong(60, 450);
            times[0] = Math.min(times[0], micros);
            times[1] = Math.max(times[1], micros);
            times[2] += micros;
            if (!quiet) {
                out.out(String.format(Locale.ROOT, "64 bytes from %s: seq=%d ttl=%d time=%d.%03d ms%n", ip, seq, ttl,
                        micros / 1000, micros % 1000));
            }
            if (count > 0 && received >= count) {
                finish();
                return;
            }
        }
        long next = count == 0 || transmitted < count ? interval : received > 0 ? 1000 : waitNoAnswer;
        if (deadline > 0) next = Math.min(next, deadline - elapsed);
        boolean last = count > 0 && transmitted >= count;
        long wait = next;
        pending = context.timer().after(Duration.ofMillis(wait), () -> {
            pending = null;
            elapsed += wait;
            if (last) finish();
            else send();
        });
    }

    private void cancel() {
        if (pending != null) pending.run();
        pending = null;
    }

    private void finish() {
        if (ended) return;
        ended = true;
        StringBuilder b = new StringBuilder();
        b.append("\n--- ").append(host).append(" ping statistics ---\n");
        b.append(transmitted).append(" packets transmitted, ").append(received).append(" packets received, ")
                .append(transmitted == 0 ? 0 : (transmitted - received) * 100 / transmitted).append("% packet loss\n");
        if (received > 0) {
            long avg = times[2] / received;
            b.append(String.format(Locale.ROOT, "round-trip min/avg/max = %s/%s/%s ms%n", ms(times[0]), ms(avg), ms(times[1])));
        }
        out.out(b.toString());
        done.accept(received == 0 || deadline > 0 && count > 0 && received < count ? 1 : 0);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%d.%03d", micros / 1000, micros % 1000);
    }
}
