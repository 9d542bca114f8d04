package kubefake.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair, each with one address on a shared /24: two "hosts" for a test that
 * needs the lab's addresses (the control plane at 192.168.1.10, a worker at 192.168.1.101) without touching any
 * network of the machine. Creating namespaces needs CAP_SYS_ADMIN; where it is refused the calling test is skipped
 * with the reason, or fails when {@code KUBEFAKE_NETNS_REQUIRED} is set (as CI sets it where it may create them).
 * {@link #close} deletes both namespaces, and with them the veth pair.
 */
public final class TwoHosts implements AutoCloseable {

    /** Set by CI where the machine permits network namespaces: then a refusal fails the test instead of skipping it. */
    public static final String REQUIRED_ENVIRONMENT = "KUBEFAKE_NETNS_REQUIRED";

    /** One side: its namespace's name and its address. */
    public record Host(String namespace, String address) {
        /** The command prefix that runs a program inside this host's namespace. */
        public List<String> exec() {
            return List.of("ip", "netns", "exec", namespace);
        }
    }

    private final Host first;
    private final Host second;

    private TwoHosts(Host first, Host second) {
        this.first = first;
        this.second = second;
    }

    /**
     * Creates the two namespaces ({@code NAME-PID}: distinct between concurrent JVMs) with {@code firstAddress} and
     * {@code secondAddress} on their ends of the pair, both links and loopback up.
     */
    public static TwoHosts create(String firstName, String firstAddress, String secondName, String secondAddress) {
        long pid = ProcessHandle.current().pid();
        Host first = new Host(firstName + "-" + pid, firstAddress);
        Host second = new Host(secondName + "-" + pid, secondAddress);
        String permitted = run("ip", "netns", "add", first.namespace());
        if (permitted != null) {
            return Prerequisite.missing("cannot create a network namespace here (`ip netns add` said: " + permitted.strip()
                    + "); the tests that need two hosts were skipped", REQUIRED_ENVIRONMENT);
        }
        TwoHosts hosts = new TwoHosts(first, second);
        try {
            // link names are at most 15 characters
            String firstLink = "kfa" + pid % 10_000_000;
            String secondLink = "kfb" + pid % 10_000_000;
            must("ip", "netns", "add", second.namespace());
            must("ip", "link", "add", firstLink, "type", "veth", "peer", "name", secondLink);
            must("ip", "link", "set", firstLink, "netns", first.namespace());
            must("ip", "link", "set", secondLink, "netns", second.namespace());
            for (var side : List.of(List.of(first.namespace(), firstLink, first.address()),
                    List.of(second.namespace(), secondLink, second.address()))) {
                must("ip", "-n", side.get(0), "addr", "add", side.get(2) + "/24", "dev", side.get(1));
                must("ip", "-n", side.get(0), "link", "set", side.get(1), "up");
                must("ip", "-n", side.get(0), "link", "set", "lo", "up");
            }
            return hosts;
        } catch (RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    public Host first() {
        return first;
    }

    public Host second() {
        return second;
    }

    @Override
    public void close() {
        run("ip", "netns", "del", first.namespace());
        run("ip", "netns", "del", second.namespace());
    }

    private static void must(String... command) {
        String failure = run(command);
        if (failure != null) throw new IllegalStateException(String.join(" ", command) + ": " + failure);
    }

    /** Runs the command; null when it succeeded, else what it printed (or why it could not start). */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "did not finish in 10 s";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
