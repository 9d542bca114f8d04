package kubefake.server.http;

import io.netty.channel.ChannelHandlerContext;

import java.time.Duration;

/** The connection a request came on: answer once, or stream (watch) through the context. */
public interface HttpExchange {
    void reply(Reply reply);

    ChannelHandlerContext context();

    boolean keepAlive();

    /** How long a watch asking for {@code timeoutSeconds} lasts: that, or when 0 the server's --min-request-timeout × [1, 2). */
    Duration watchTimeout(long timeoutSeconds);
}
