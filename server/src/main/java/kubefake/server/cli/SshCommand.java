package kubefake.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
final class SshCommand extends NodeCommand.Target implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODE", description = "The node, e.g. m-k8s or w1-k8s.")
    String node;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

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
        // a command may wait as long as its curl does (a dropped connection: the kernel's 130 s)
        JsonNode body = call("POST", path.toString(), Duration.ofMinutes(5));
        spec.commandLine().getOut().print(body.path("stdout").asText());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().print(body.path("stderr").asText());
        spec.commandLine().getErr().flush();
        return body.path("exitCode").asInt();
    }
}
