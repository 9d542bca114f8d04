package kubefake.server.streams;

import kubefake.nodesim.runtime.ContainerHttp;
import kubefake.nodesim.runtime.ContainerProcess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * One TCP connection forwarded to a pod's port, whatever carries it: the bytes the client sends, answered by the
 * container process serving the port (one HTTP answer per request head; nothing for a port that does not speak HTTP).
 */
final class ForwardedConnection {
    private final ContainerProcess process;
    private final kubefake.nodesim.runtime.ProcessTable processes;
    private final String hostname;
    private final Clock clock;
    private final Consumer<byte[]> reply;
    private final Runnable close;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean closed;

    /**
     * @param reply bytes back to the client
     * @param close ends the client's connection (after an answer to {@code Connection: close})
     */
    ForwardedConnection(ContainerProcess process, kubefake.nodesim.runtime.ProcessTable processes, String hostname, Clock clock,
                        Consumer<byte[]> reply, Runnable close) {
        this.process = process;
        this.processes = processes;
        this.hostname = hostname;
        this.clock = clock;
        this.reply = reply;
        this.close = close;
    }

    void received(byte[] bytes) {
        if (closed || !ContainerHttp.speaksHttp(process.timeline())) return;
        pending.writeBytes(bytes);
        String text = pending.toString(StandardCharsets.ISO_8859_1);
        int end;
        while ((end = text.indexOf("\r\n\r\n")) >= 0) {
            String head = text.substring(0, end);
            text = text.substring(end + 4);
            // nginx's pages as the container's files have them now (an exec may have edited one)
            reply.accept(ContainerHttp.respond(process.timeline(), head, hostname, process.startedAt(), clock.instant(),
                    processes.filesIfWritten(process.containerId())));
            if (ContainerHttp.closes(head)) {
                closed = true;
                close.run();
                return;
            }
        }
        pending.reset();
        pending.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The kubelet's refusal when nothing listens on the port. */
    static String refused(int port, String podRef) {
        return "error forwarding port " + port + " to pod " + podRef + ", uid : failed to execute portforward in "
                + "network namespace \"/var/run/netns/cni-" + podRef.substring(0, Math.min(8, podRef.length())) + "\": failed to "
                + "connect to localhost:" + port + " inside namespace \"" + podRef + "\", IPv4: dial tcp4 127.0.0.1:" + port
                + ": connect: connection refused IPv6 dial tcp6 [::1]:" + port + ": connect: connection refused ";
    }
}
