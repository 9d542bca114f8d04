package kubefake.server.streams;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The session layer of a SPDY/3.1 connection as kubectl's side speaks it. client-go's SPDY library (spdystream, also
 * what the kubelet and kube-apiserver serve with) implements no flow control: it never sends WINDOW_UPDATE and
 * ignores the ones it gets. A sender that keeps to SPDY's windows therefore stops for good after the first 64 KiB of
 * a session (an exec's output, or every port-forward connection of one {@code kubectl port-forward} together), so
 * this side, like the real servers, sends without windows. It answers the client's PINGs (kubectl sends them to keep
 * the connection alive) and drops SETTINGS and WINDOW_UPDATE frames; the streams' frames go on to the handler after it.
 */
final class SpdyPeerSession extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SpdyPingFrame ping) {
            ctx.writeAndFlush(ping);
        } else if (msg instanceof SpdySettingsFrame || msg instanceof SpdyWindowUpdateFrame) {
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
