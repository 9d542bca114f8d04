package kubefake.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kubefake node ...}: what a student does on a node's shell in the lab, against a running kubefake (through its
 * admin.conf): {@code stop-kubelet} is {@code systemctl stop kubelet} on the node, {@code start-kubelet} starts it
 * again, {@code list} shows each node's kubelet.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Act on a simulated node of a running kubefake, as on the node's shell.",
        subcommands = {NodeCommand.StopKubelet.class, NodeCommand.StartKubelet.class, NodeCommand.ListNodes.class})
final class NodeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every node command takes. */
    static class Target {
        @Option(names = "--kubeconfig", paramLabel = "FILE",
                description = "The cluster's admin kubeconfig (default: $KUBECONFIG, else ~/.kubefake/admin.conf).")
        Path kubeconfig;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        JsonNode call(String method, String path) throws Exception {
            return call(method, path, java.time.Duration.ofSeconds(30));
        }

        /** The server's JSON answer; a refusal is an error with its message. */
        JsonNode call(String method, String path, java.time.Duration timeout) throws Exception {
            KubeconfigHttp http = KubeconfigHttp.of(KubeconfigHttp.locate(kubeconfig));
            HttpResponse<String> r;
            try {
                r = http.send(method, path, HttpResponse.BodyHandlers.ofString(), timeout);
            } catch (ConnectException e) {
                throw new IOException("cannot reach the server in " + KubeconfigHttp.locate(kubeconfig) + ": is kubefake up running?");
            }
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            if (r.statusCode() / 100 != 2) {
                String message = body != null && body.has("message") ? body.path("message").asText() : r.body().trim();
                throw new IOException(message.isEmpty() ? "the server answered " + r.statusCode() : message);
            }
            return body;
        }

        /** Stops or starts the node's kubelet and says so. */
        int switchKubelet(String node, String action, String done) throws Exception {
            call("POST", "/kubefake/v1/nodes/" + node + "/kubelet/" + action);
            spec.commandLine().getOut().println("kubelet " + done + " on " + node);
            return 0;
        }
    }

    @Command(name = "stop-kubelet", mixinStandardHelpOptions = true,
            description = "Stop the node's kubelet (systemctl stop kubelet): no heartbeats, the node turns NotReady after"
                    + " the grace period, its pods are left as they are and their deletion waits.")
    static final class StopKubelet extends Target implements Callable<Integer> {
        @Parameters(paramLabel = "NODE", description = "The node, e.g. w1-k8s.")
        String node;

        @Override
        public Integer call() throws Exception {
            return switchKubelet(node, "stop", "stopped");
        }
    }

    @Command(name = "start-kubelet", mixinStandardHelpOptions = true,
            description = "Start the node's kubelet again (systemctl start kubelet): it reports, and finishes what waited.")
    static final class StartKubelet extends Target implements Callable<Integer> {
        @Parameters(paramLabel = "NODE", description = "The node, e.g. w1-k8s.")
        String node;

        @Override
        public Integer call() throws Exception {
            return switchKubelet(node, "start", "started");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show each node and whether its kubelet runs.")
    static final class ListNodes extends Target implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            JsonNode list = call("GET", "/kubefake/v1/nodes");
            int width = "NODE".length();
            for (JsonNode n : list.path("items")) width = Math.max(width, n.path("node").asText().length());
            var out = spec.commandLine().getOut();
            out.printf("%-" + (width + 3) + "s%s%n", "NODE", "KUBELET");
            for (JsonNode n : list.path("items")) {
                out.printf("%-" + (width + 3) + "s%s%n", n.path("node").asText(), n.path("running").asBoolean() ? "running" : "stopped");
            }
            return 0;
        }
    }
}
