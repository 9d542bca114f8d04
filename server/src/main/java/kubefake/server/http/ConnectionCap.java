package kubefake.server.http;

import io.netty.channel.Channel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on open connections: one accepted beyond it is closed at once (its client sees the connection end during the
 * TLS handshake), and the connections already open are untouched. It keeps the process within its file descriptors
 * however many clients come.
 */
final class ConnectionCap {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCap(int max) {
        this.max = max;
    }

    /** Counts the channel until it closes; false (the caller closes it) when the cap is reached. */
    boolean admit(Channel channel) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }
}
