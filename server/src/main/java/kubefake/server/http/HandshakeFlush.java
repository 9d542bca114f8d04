package kubefake.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.internal.tcnative.Buffer;
import io.netty.internal.tcnative.SSL;

import java.nio.ByteBuffer;

/**
 * Sends the server's TLS 1.3 session tickets as soon as a handshake is done, then leaves the pipeline. BoringSSL holds
 * them until the server's first write (the connection's first response), while Go's server (kube-apiserver's) sends its
 * ticket as soon as the client's last flight has arrived. That matters to a client that leaves Nagle's algorithm on
 * (Python's and Java's plain sockets): it holds its first request until its Finished message is acknowledged, and with
 * nothing coming back that acknowledgement is the server's delayed ACK, ~40 ms on Linux, on every new connection.
 * BoringSSL's documented way to send them is a zero-byte write; the TLS handler's wrap of an empty buffer then sends
 * what it produced. The JDK's engine (where BoringSSL does not load) sends its tickets with the handshake.
 */
final class HandshakeFlush extends ChannelInboundHandlerAdapter {
    /** What the zero-byte write points at (tcnative refuses no buffer); never read. */
    private static final ByteBuffer NOTHING = ByteBuffer.allocateDirect(1);
    private static final long NOTHING_ADDRESS = Buffer.address(NOTHING);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        super.userEventTriggered(ctx, evt);
        if (evt instanceof SslHandshakeCompletionEvent done) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (done.isSuccess() && tls != null && tls.engine() instanceof ReferenceCountedOpenSslEngine engine
                    && "TLSv1.3".equals(engine.getSession().getProtocol()) && writeNothing(engine)) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
            }
            ctx.pipeline().remove(this);
        }
    }

    /** The zero-byte write, under the engine's lock as its own wrap and unwrap; false once the engine is gone. */
    private static boolean writeNothing(ReferenceCountedOpenSslEngine engine) {
        synchronized (engine) {
            long ssl = engine.sslPointer();
            if (ssl == 0) return false;
            // 0 whether or not there was something to send; a failure would leave its reason on this thread's error
            // queue, where the engine's next call would read it as its own: cleared (the tickets then go with the
            // first response, as before)
            SSL.writeToSSL(ssl, NOTHING_ADDRESS, 0);
            SSL.clearError();
            return true;
        }
    }
}
