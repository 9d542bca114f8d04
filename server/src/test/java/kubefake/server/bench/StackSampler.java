package kubefake.server.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A coarse profile for the benchmarks where JFR's sampler gets few samples (at real-time priority its thread waits
 * behind the busy ones): every few milliseconds the stacks of the runnable threads, counted per kubefake class and
 * method on them (inclusive: a frame counts once per sample). Safepoint-biased, as any {@code getAllStackTraces}
 * sampler: shares, not exact figures.
 */
final class StackSampler {
    private final Map<String, Integer> inclusive = new HashMap<>();
    private final Map<String, Integer> byThread = new HashMap<>();
    private int samples;
    private volatile boolean stopped;
    private final Thread thread;

    private StackSampler(int periodMillis) {
        thread = new Thread(() -> {
            while (!stopped) {
                sample();
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-stack-sampler");
        thread.setDaemon(true);
    }

    static StackSampler start(int periodMillis) {
        StackSampler s = new StackSampler(periodMillis);
        s.thread.start();
        return s;
    }

    private synchronized void sample() {
        for (var e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (t == thread || t.getState() != Thread.State.RUNNABLE || e.getValue().length == 0) continue;
            StackTraceElement[] stack = e.getValue();
            String top = stack[0].getClassName();
            // threads blocked in native waits (epoll, accept) show as RUNNABLE: not work
            if (top.startsWith("sun.nio.ch.") || top.startsWith("io.netty.channel.epoll.Native")) continue;
            samples++;
            byThread.merge(t.getName().replaceAll("\\d+", "N"), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (StackTraceElement f : stack) {
                if (!f.getClassName().startsWith("kubefake.")) continue;
                String cls = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1).replaceAll("\\$\\d+", "");
                String method = f.getMethodName().replaceAll("\\$\\d+$", "");
                if (seen.add(cls + "." + method)) inclusive.merge(cls + "." + method, 1, Integer::sum);
            }
        }
    }

    synchronized String stop(int lines) {
        stopped = true;
        thread.interrupt();
        StringBuilder b = new StringBuilder("SAMPLES ").append(samples).append(" of runnable threads; by thread: ");
        b.append(top(byThread, 8)).append("\n  inclusive, by kubefake method:\n");
        inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(lines)
                .forEach(e -> b.append(String.format("  %5.1f %%  %s%n", e.getValue() * 100.0 / Math.max(1, samples), e.getKey())));
        return b.toString();
    }

    private String top(Map<String, Integer> counts, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .map(e -> String.format("%s %.0f%%", e.getKey(), e.getValue() * 100.0 / Math.max(1, samples)))
                .collect(Collectors.joining(", "));
    }
}
