package kubefake.server.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import kubefake.server.printers.Tables;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watch stream on a channel whose clock the test drives: event order, bookmarks, the end of the stream. */
class WatchStreamTest {
    private Registry registry;
    private ResourceStore configmaps;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", Json.parseObject("{\"metadata\":{\"name\":\"default\"}}".getBytes()),
                RequestContext.LOOPBACK);
        configmaps = registry.resource("", "configmaps");
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    }

    private void startWatch(boolean bookmarks, long timeoutSeconds, boolean keepAlive) {
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        ListOptions options = new ListOptions("", "", Long.toString(registry.store().currentRevision()), "", 0, null,
                timeoutSeconds, bookmarks, null);
        WatchStream.start(ctx, onReady -> configmaps.watch("default", options, onReady, 1000), kubefake.server.encoding.Negotiated.JSON,
                Tables.IncludeObject.NONE, bookmarks, timeoutSeconds == 0 ? Duration.ofMinutes(30) : Duration.ofSeconds(timeoutSeconds),
                Clock.systemUTC(), keepAlive);
        channel.runPendingTasks();
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            if (o instanceof LastHttpContent) lines.add("<end>");
            else if (o instanceof HttpContent c) {
                for (String l : c.content().toString(StandardCharsets.UTF_8).split("\n")) if (!l.isBlank()) lines.add(l);
            }
        }
        return lines;
    }

    @Test
    void aBookmarkNeverOvertakesAnEventStillToBeSent() {
        startWatch(true, 0, true);
        // a write whose drain is still queued when the bookmark timer comes due
        configmaps.create("default", Json.parseObject("{\"metadata\":{\"name\":\"a\"}}".getBytes()), RequestContext.LOOPBACK);
        channel.advanceTimeBy(61, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        List<String> lines = lines();
        assertTrue(lines.get(0).startsWith("{\"type\":\"ADDED\""), lines.toString());
        assertTrue(lines.get(1).startsWith("{\"type\":\"BOOKMARK\""), lines.toString());
        String rv = Long.toString(registry.store().currentRevision());
        assertTrue(lines.get(1).contains("\"resourceVersion\":\"" + rv + "\""), lines.toString());
    }

    @Test
    void theStreamEndsAtItsTimeoutAndClosesWhenTheClientAskedTo() {
        startWatch(false, 5, false);
        configmaps.create("default", Json.parseObject("{\"metadata\":{\"name\":\"b\"}}".getBytes()), RequestContext.LOOPBACK);
        channel.runPendingTasks();
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        List<String> lines = lines();
        assertTrue(lines.get(lines.size() - 2).contains("\"name\":\"b\""), lines.toString());
        assertEquals("<end>", lines.get(lines.size() - 1));
        assertFalse(channel.isOpen(), "Connection: close is honoured after the last chunk");
        assertEquals(0, ((MemoryKeyValueStore) registry.store()).watcherCount(), "the store watcher is gone");
    }
}
