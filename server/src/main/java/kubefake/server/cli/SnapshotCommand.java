package kubefake.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import kubefake.store.durability.DurableStore;
import kubefake.store.durability.SnapshotFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kubefake snapshot save|restore|status}, as {@code etcdctl snapshot}: save the running cluster's store at one
 * revision, restore a snapshot into a new data directory for {@code kubefake up --data-dir}, say what a file holds.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Save, restore and inspect snapshots of a cluster's store (as etcdctl snapshot).",
        subcommands = {SnapshotCommand.Save.class, SnapshotCommand.Restore.class, SnapshotCommand.Status.class})
final class SnapshotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
            description = "Save the running cluster's store, consistent at one revision, to FILE (through its admin kubeconfig).")
    static final class Save implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Where to write the snapshot.")
        Path file;

        @Option(names = "--kubeconfig", paramLabel = "FILE",
                description = "The cluster's admin kubeconfig (default: $KUBECONFIG, else ~/.kubefake/admin.conf).")
        Path kubeconfig;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path config = KubeconfigHttp.locate(kubeconfig);
            KubeconfigHttp http = KubeconfigHttp.of(config);
            HttpResponse<byte[]> r;
            try {
                r = http.send("GET", "/kubefake/v1/snapshot", HttpResponse.BodyHandlers.ofByteArray());
            } catch (ConnectException e) {
                throw new IOException("cannot reach the server in " + config + ": is kubefake up running?");
            }
            if (r.statusCode() != 200) {
                String body = new String(r.body(), StandardCharsets.UTF_8);
                String message;
                try {
                    message = new ObjectMapper().readTree(body).path("message").asText(body.trim());
                } catch (IOException notJson) {
                    message = body.trim();
                }
                throw new IOException(message.isEmpty() ? "the server answered " + r.statusCode() : message);
            }
            // written aside and checked before it takes the name: FILE is a whole snapshot or is not there
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.write(part, r.body());
            SnapshotFile.Status status;
            try {
                status = SnapshotFile.status(part);
            } catch (IOException e) {
                Files.deleteIfExists(part);
                throw e;
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println("Snapshot saved at " + file + " (revision " + status.revision() + ", "
                    + status.keys() + " keys, " + Sizes.humanBytes(status.size()) + ")");
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Make a new data directory hold the snapshot's state; then kubefake up --data-dir DIR serves it.")
    static final class Restore implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "A snapshot written by kubefake snapshot save.")
        Path file;

        @Option(names = "--data-dir", paramLabel = "DIR", required = true,
                description = "The data directory to create (it must not hold a store yet).")
        Path dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SnapshotFile.Status status = DurableStore.restore(file, dataDir);
            spec.commandLine().getOut().println("Restored " + file + " at revision " + status.revision() + " ("
                    + status.keys() + " keys) into " + DurableStore.storeDirectory(dataDir) + "; start it with: kubefake up --data-dir "
                    + dataDir);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Check a snapshot and print its hash, revision, total keys and total size.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "A snapshot.")
        Path file;

        @Option(names = {"-w", "--write-out"}, paramLabel = "simple|table|json",
                description = "Output format, as etcdctl's (default: ${DEFAULT-VALUE}).")
        String format = "simple";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("simple") && !format.equals("table") && !format.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--write-out: must be simple, table or json: " + format);
            }
            SnapshotFile.Status s = SnapshotFile.status(file);
            PrintWriter out = spec.commandLine().getOut();
            String size = Sizes.humanBytes(s.size());
            switch (format) {
                case "json" -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("hash", Integer.toUnsignedLong(s.hash()));
                    json.put("revision", s.revision());
                    json.put("totalKey", s.keys());
                    json.put("totalSize", s.size());
                    out.println(new ObjectMapper().writeValueAsString(json));
                }
                case "table" -> {
                    String[] head = {"HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"};
                    String[] row = {s.hashHex(), Long.toString(s.revision()), Long.toString(s.keys()), size};
                    int[] w = new int[head.length];
                    for (int i = 0; i < w.length; i++) w[i] = Math.max(head[i].length(), row[i].length());
                    StringBuilder rule = new StringBuilder("+");
                    for (int n : w) rule.append("-".repeat(n + 2)).append('+');
                    out.println(rule);
                    out.println(tableRow(head, w));
                    out.println(rule);
                    out.println(tableRow(row, w));
                    out.println(rule);
                }
                default -> out.println(s.hashHex() + ", " + s.revision() + ", " + s.keys() + ", " + size);
            }
            return 0;
        }

        private static String tableRow(String[] cells, int[] widths) {
            StringBuilder b = new StringBuilder("|");
            for (int i = 0; i < cells.length; i++) {
                b.append(' ').append(String.format(Locale.ROOT, "%" + widths[i] + "s", cells[i])).append(" |");
            }
            return b.toString();
        }
    }

    /** Sizes as etcdctl prints them (go-humanize's Bytes: SI units, one decimal below 10). */
    static final class Sizes {
        private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

        private Sizes() {
        }

        static String humanBytes(long n) {
            if (n < 10) return n + " B";
            int e = (int) Math.floor(Math.log(n) / Math.log(1000));
            double value = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
            return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, UNITS[e]);
        }
    }
}
