package kubefake.server.http;

import io.netty.channel.ChannelHandlerContext;

/** The connection a request came on: answer once, or stream (watch) through the context. */
public interface HttpExchange {
    void reply(Reply reply);

    ChannelHandlerContext context();

    boolean keepAlive();
}
