package kubefake.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import kubefake.server.auth.StaticTokenFile;
import kubefake.store.mvcc.CommitLog;
import kubefake.store.mvcc.DurabilityException;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.ReadView;
import kubefake.store.mvcc.WriteView;
import kubefake.store.registry.request.Waiting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes served off the event loops: the front end's pipeline (codec, timeouts, body aggregation, request handler) on
 * a loopback port without TLS, with handlers that record the thread they ran on and can be held.
 */
class RegistryWorkTest {
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private RegistryWork registryWork = RegistryWork.pool(16);
    private final Map<String, String> servedOn = new ConcurrentHashMap<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch releaseWrite = new CountDownLatch(1);
    private final CountDownLatch heldStarted = new CountDownLatch(1);
    private Path tokens;
    private Channel server;
    /** The store that /put writes to, behind a log that makes writes durable when the test says so. */
    private final GatedLog log = new GatedLog();
    private final MemoryKeyValueStore store = new MemoryKeyValueStore(log);

    /** A commit log whose writes become durable, or fail, when the test says so; it calls deferred writers back. */
    private static final class GatedLog implements CommitLog {
        final CountDownLatch called = new CountDownLatch(1);
        private final List<Consumer<RuntimeException>> waiting = new ArrayList<>();

        @Override
        public void append(Event event) {
        }

        @Override
        public void awaitDurable(long revision) {
            throw new AssertionError("a write served on the event loop must not wait");
        }

        @Override
        public synchronized void whenDurable(long revision, Consumer<RuntimeException> then) {
            waiting.add(then);
            called.countDown();
        }

        synchronized void release(RuntimeException failure) {
            waiting.forEach(c -> c.accept(failure));
            waiting.clear();
        }

        @Override
        public void compacting(long revision, ReadView view) {
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void start() throws Exception {
        tokens = Files.createTempFile("tokens", ".csv");
        Files.writeString(tokens, "t,alice,alice-uid,\"devs\"\n");
        listen();
    }

    /** The server, serving with {@link #registryWork}. */
    private void listen() throws Exception {
        StaticTokenFile tokenFile = StaticTokenFile.load(tokens);
        ServingOptions options = ServingOptions.defaults();
        InFlightLimits inFlight = new InFlightLimits(options.maxRequestsInFlight(), options.maxMutatingRequestsInFlight());
        ApiDispatcher dispatcher = request -> {
            String path = request.path();
            boolean write = !request.method().name().equals("GET");
            return new Route(write ? RequestKind.MUTATING : RequestKind.READ_ONLY, exchange -> {
                if (path.equals("/waits")) Waiting.check(); // as an admission plugin about to wait
                servedOn.put(path, Thread.currentThread().getName());
                events.add("start " + path);
                if (path.equals("/held")) heldStarted.countDown();
                if (path.equals("/held") && !releaseWrite.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                if (path.equals("/fails")) throw new IllegalStateException("a bug");
                if (path.equals("/put")) store.put("/k", revision -> path.getBytes(StandardCharsets.UTF_8), WriteView.ANY);
                events.add("end " + path);
                exchange.reply(Reply.text(200, path));
            });
        };
        server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ConnectionTimeouts timeouts = new ConnectionTimeouts(options);
                        ch.pipeline().addLast(timeouts.bytesSeen(), new HttpServerCodec(new HttpDecoderConfig()), timeouts,
                                new MalformedRequests(), new BodySizeLimit(),
                                new RequestHandler(dispatcher, null, tokenFile, inFlight, timeouts, options, registryWork, RequestObserver.NONE));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void stop() throws IOException {
        releaseWrite.countDown();
        server.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        registryWork.close();
        Files.deleteIfExists(tokens);
    }

    private static String request(String method, String target) {
        return method + " " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void writesRunOnTheRegistryPoolAndReadsOnTheEventLoop() throws Exception {
        releaseWrite.countDown();
        try (Connection c = new Connection()) {
            c.send(request("POST", "/write") + request("GET", "/read"));
            assertEquals("200 /write", c.answer());
            assertEquals("200 /read", c.answer());
        }
        assertTrue(servedOn.get("/write").startsWith("registry"), servedOn.toString());
        assertTrue(servedOn.get("/read").startsWith("multiThreadIoEventLoopGroup"), servedOn.toString());
    }

    @Test
    void withAStoreWhoseWritesDoNotWaitWritesRunOnTheEventLoopUnlessTheyMustWait() throws Exception {
        server.close().syncUninterruptibly();
        registryWork.close();
        registryWork = RegistryWork.pool(16, false);
        listen();
        releaseWrite.countDown();
        try (Connection c = new Connection()) {
            c.send(request("POST", "/write") + request("POST", "/waits") + request("GET", "/read"));
            assertEquals("200 /write", c.answer());
            assertEquals("200 /waits", c.answer());
            assertEquals("200 /read", c.answer());
        }
        assertTrue(servedOn.get("/write").startsWith("multiThreadIoEventLoopGroup"), servedOn.toString());
        assertTrue(servedOn.get("/waits").startsWith("registry"), "served again where it may wait: " + servedOn);
        assertTrue(servedOn.get("/read").startsWith("multiThreadIoEventLoopGroup"), servedOn.toString());
        assertEquals(List.of("start /write", "end /write", "start /waits", "end /waits", "start /read", "end /read"),
                List.copyOf(events), "answered in order");
    }

    @Test
    void aPipelinedReadWaitsForTheWriteBeforeIt() throws Exception {
        try (Connection c = new Connection()) {
            c.send(request("POST", "/held") + request("GET", "/read"));
            // the read is not served while the write before it is still being served
            assertTrue(heldStarted.await(60, TimeUnit.SECONDS));
            assertEquals(List.of("start /held"), List.copyOf(events));
            releaseWrite.countDown();
            assertEquals("200 /held", c.answer());
            assertEquals("200 /read", c.answer());
        }
        assertEquals(List.of("start /held", "end /held", "start /read", "end /read"), List.copyOf(events));
    }

    @Test
    void withAStoreThatDefersDurabilityWritesRunOnTheEventLoopAndAreAnsweredOnceDurable() throws Exception {
        server.close().syncUninterruptibly();
        registryWork.close();
        registryWork = RegistryWork.pool(16, true, store.deferredDurability());
        listen();
        try (Connection c = new Connection()) {
            c.send(request("POST", "/put") + request("GET", "/read"));
            assertTrue(log.called.await(10, TimeUnit.SECONDS));
            // the write is done but not durable: no answer yet, and the read after it waits
            assertEquals(0, c.in.available());
            assertEquals(List.of("start /put", "end /put"), List.copyOf(events));
            assertEquals(null, store.get("/k"), "not readable before it is durable");
            log.release(null);
            assertEquals("200 /put", c.answer());
            assertEquals("200 /read", c.answer());
        }
        assertTrue(servedOn.get("/put").startsWith("multiThreadIoEventLoopGroup"), servedOn.toString());
        assertEquals("/put", new String(store.get("/k").value(), StandardCharsets.UTF_8));
    }

    @Test
    void aDeferredWriteThatTheLogCannotMakeDurableIsAnsweredWithTheInternalError() throws Exception {
        server.close().syncUninterruptibly();
        registryWork.close();
        registryWork = RegistryWork.pool(16, true, store.deferredDurability());
        listen();
        try (Connection c = new Connection()) {
            c.send(request("POST", "/put"));
            assertTrue(log.called.await(10, TimeUnit.SECONDS));
            log.release(new DurabilityException("the write-ahead log could not make revision 1 durable", null));
            String answer = c.answer();
            assertTrue(answer.startsWith("500 {") && answer.contains("could not make revision 1 durable"), answer);
            c.send(request("GET", "/read"));
            assertEquals("200 /read", c.answer());
        }
    }

    @Test
    void aWriteThatOutlivesItsDeadlineGetsTheTimeoutAndTheConnectionGoesOn() throws Exception {
        try (Connection c = new Connection()) {
            c.send(request("POST", "/held?timeout=100ms"));
            assertTrue(c.answer().startsWith("504 "), "the timeout filter's answer while the handler still works");
            releaseWrite.countDown();
            c.send(request("GET", "/read"));
            assertEquals("200 /read", c.answer(), "the late answer of the write is dropped");
        }
    }

    @Test
    void aWriteHandlerThatThrowsIsAnsweredWithTheInternalError() throws Exception {
        try (Connection c = new Connection()) {
            c.send(request("DELETE", "/fails"));
            assertTrue(c.answer().startsWith("500 {"), "a Status body");
            c.send(request("GET", "/read"));
            assertEquals("200 /read", c.answer());
        }
    }

    /** A plain HTTP/1.1 connection reading answers with a Content-Length, as "status body". */
    private final class Connection implements AutoCloseable {
        private final Socket socket = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
        private final InputStream in;

        Connection() throws IOException {
            // generous: the first request of a fresh JVM on a loaded machine loads and compiles the whole pipeline
            socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
            in = socket.getInputStream();
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        String answer() throws IOException {
            String status = line().split(" ")[1];
            int length = 0;
            for (String h = line(); !h.isEmpty(); h = line()) {
                if (h.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
            }
            return status + " " + new String(in.readNBytes(length), StandardCharsets.UTF_8).trim();
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch < 0) throw new IOException("closed");
                if (ch != '\r') b.write(ch);
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
