package kubefake.server.streams;

import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of a stream session waiting for a client that is behind: while the connection's outbound buffer is above
 * its high water mark (the client does not read: a stopped kubectl, a terminal nobody scrolls), a process writing to it
 * waits, as a write(2) to a full pipe does, instead of the server buffering its output without bound. They run on the
 * connection's event loop once the buffer has drained below the low water mark.
 */
final class WritabilityWaiters {
    private final List<Runnable> waiting = new ArrayList<>(1);

    /** Queues {@code task} and answers true when {@code channel} cannot take more now; false (not queued) when it can. */
    boolean whenWritable(Channel channel, Runnable task) {
        if (channel.isWritable()) return false;
        waiting.add(task);
        return true;
    }

    /** From the handler's {@code channelWritabilityChanged}: runs the waiting tasks once the channel can take more. */
    void changed(Channel channel) {
        if (!channel.isWritable() || waiting.isEmpty()) return;
        List<Runnable> ready = new ArrayList<>(waiting);
        waiting.clear();
        ready.forEach(Runnable::run);
    }
}
