package kubefake.server.bench;

import kubefake.server.cli.KubeconfigHttp;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The server's side of {@code kubectl get pods -A} (not a test): the same chunked sequence of requests kubectl sends
 * (limit=500, following metadata.continue, Table asked for as kubectl 1.33 asks), with a client that only reads the
 * bytes, so that what it measures is the server. {@code ChunkedListBenchmark KUBECONFIG SERVER_PID [ROUNDS] [PATH]}:
 * per round the wall time of the whole sequence, its pages and bytes, and the server process's CPU over it (from
 * /proc): in all, and its HTTP event loops' and garbage collector's, which serve the requests (the rest is the
 * cluster's own background work, such as controllers catching up after a start); then the medians.
 */
public final class ChunkedListBenchmark {
    /** What kubectl 1.33 sends for {@code get} (kubectl -v=9). */
    static final String TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private ChunkedListBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KubeconfigHttp kubeconfig = KubeconfigHttp.of(Path.of(args[0]), Duration.ofSeconds(60));
        String pid = args[1];
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String path = args.length > 3 ? args[3] : "/api/v1/pods";
        String accept = System.getProperty("bench.accept", TABLE_ACCEPT);
        HttpClient http = kubeconfig.client();
        String server = kubeconfig.server().replaceAll("/+$", "");
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        List<Double> served = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long cpu0 = processCpuNanos(pid);
            long loops0 = threadsCpuNanos(pid, "multiThreadIoEv");
            long gc0 = threadsCpuNanos(pid, "G");
            long t0 = System.nanoTime();
            String next = "";
            int pages = 0;
            long bytes = 0;
            int rows = 0;
            while (true) {
                String uri = server + path + "?limit=500" + (next.isEmpty() ? "" : "&continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).header("Accept", accept)
                        .header("User-Agent", "kubectl/v1.33.0 (linux/amd64) kubernetes/bench").GET();
                if (kubeconfig.token() != null && !kubeconfig.token().isEmpty()) b.header("Authorization", "Bearer " + kubeconfig.token());
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
                pages++;
                bytes += r.body().length;
                rows += count(r.body(), "{\"cells\":");
                next = continueOf(r.body());
                if (next == null) break;
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos(pid) - cpu0) / 1e9;
            double loops = (threadsCpuNanos(pid, "multiThreadIoEv") - loops0) / 1e9;
            double gc = (threadsCpuNanos(pid, "G") - gc0) / 1e9;
            walls.add(wall);
            cpus.add(cpu);
            served.add(loops + gc);
            System.out.printf(Locale.ROOT, "round %d: %d pages, %d rows, %.1f MB in %.2f s; server CPU %.2f s in all, event loops %.2f s"
                            + " + GC %.2f s = %.1f ms per page%n", round, pages, rows, bytes / 1e6, wall, cpu, loops, gc,
                    (loops + gc) * 1000 / pages);
        }
        System.out.printf(Locale.ROOT, "RESULT median of %d rounds: %.2f s wall, server CPU %.2f s in all, %.2f s event loops + GC;"
                + " load average %s%n", rounds, median(walls), median(cpus), median(served), Files.readString(Path.of("/proc/loadavg")).trim());
        System.exit(0);
    }

    /** metadata.continue of a list: the list metadata comes before the items (rows), so only the head is searched. */
    private static String continueOf(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
        var m = java.util.regex.Pattern.compile("\"continue\":\\s*\"([^\"]+)\"").matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static int count(byte[] body, String what) {
        byte[] w = what.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        outer:
        for (int i = 0; i + w.length <= body.length; i++) {
            for (int j = 0; j < w.length; j++) if (body[i + j] != w[j]) continue outer;
            n++;
        }
        return n;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * utime + stime of the process's threads whose name (as the kernel keeps it: its first 15 characters) starts with
     * {@code prefix}: the HTTP event loops serve the requests; G1's threads ("GC Thread#0", "G1 Conc#0"...) collect.
     */
    static long threadsCpuNanos(String pid, String prefix) throws java.io.IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).startsWith(prefix)) continue;
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
                } catch (java.nio.file.NoSuchFileException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }

    /** utime + stime of a process, from /proc/PID/stat (clock ticks of 10 ms). */
    static long processCpuNanos(String pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }
}
