package kubefake.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code kubefake ssh NODE -- CMD...}: one command on a simulated node's shell, as {@code ssh NODE CMD} on the lab's
 * VMs: {@code curl POD_IP}, {@code systemctl stop kubelet}, {@code modprobe -r br_netfilter}... Its output and exit
 * status are the command's. An interactive shell (no command) is not simulated yet.
 */
@Command(name = "ssh", mixinStandardHelpOptions = true,
        description = "Run a command on a simulated node's shell of a running kubefake (curl, systemctl, modprobe, reboot, hostname).")
final class SshCommand implements Callable<Integer> {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The cluster's admin kubeconfig (default: $KUBECONFIG, else ~/.kubefake/admin.conf).")
    Path kubeconfig;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node, e.g. m-k8s or w1-k8s.")
    String node;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (command == null || command.isEmpty()) {
            spec.commandLine().getErr().println("kubefake ssh: an interactive node shell is not simulated yet; give a command: "
                    + "kubefake ssh " + node + " -- CMD");
            return 2;
        }
        StringBuilder path = new StringBuilder("/kubefake/v1/nodes/").append(URLEncoder.encode(node, StandardCharsets.UTF_8)).append("/shell");
        for (int i = 0; i < command.size(); i++) {
            path.append(i == 0 ? '?' : '&').append("command=").append(URLEncoder.encode(command.get(i), StandardCharsets.UTF_8));
        }
        KubeconfigHttp http = KubeconfigHttp.of(KubeconfigHttp.locate(kubeconfig));
        HttpResponse<String> r;
        try {
            r = http.send("POST", path.toString(), HttpResponse.BodyHandlers.ofString(), Duration.ofMinutes(5));
        } catch (ConnectException e) {
            throw new IOException("cannot reach the server in " + KubeconfigHttp.locate(kubeconfig) + ": is kubefake up running?");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            body = Json.MAPPER.createObjectNode();
        }
        if (r.statusCode() != 200) {
            String message = body.has("message") ? body.path("message").asText() : r.body().trim();
            throw new IOException(message.isEmpty() ? "the server answered " + r.statusCode() : message);
        }
        spec.commandLine().getOut().print(body.path("stdout").asText());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().print(body.path("stderr").asText());
        spec.commandLine().getErr().flush();
        return body.path("exitCode").asInt();
    }
}
