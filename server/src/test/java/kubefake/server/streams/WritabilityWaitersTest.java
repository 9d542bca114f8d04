package kubefake.server.streams;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream session's writer waits while its connection's outbound buffer is full, and goes on once it drained. */
class WritabilityWaitersTest {
    @Test
    void aTaskWaitsUntilTheConnectionCanTakeMore() {
        WritabilityWaiters waiters = new WritabilityWaiters();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                waiters.changed(ctx.channel());
            }
        });
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        List<String> ran = new ArrayList<>();
        assertFalse(waiters.whenWritable(channel, () -> ran.add("now")), "a connection that can take more: no wait");

        channel.write(Unpooled.wrappedBuffer(new byte[64])); // written, not yet sent: above the high water mark
        assertFalse(channel.isWritable());
        assertTrue(waiters.whenWritable(channel, () -> ran.add("first")));
        assertTrue(waiters.whenWritable(channel, () -> ran.add("second")));
        assertEquals(List.of(), ran, "nothing runs while the client is behind");

        channel.flush(); // the client took it
        assertTrue(channel.isWritable());
        assertEquals(List.of("first", "second"), ran, "the waiting writers go on in the order they came");
        channel.finishAndReleaseAll();
    }
}
