package kubefake.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import kubefake.server.auth.StaticTokenFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the serving limits add to a request's trip through the connection pipeline, without TLS, store or JSON: one
 * keep-alive request (a GET, or a POST with a 300-byte body) from its bytes to the bytes of a small answer, through
 * the pipeline as {@link HttpFrontEnd} builds it ({@code limits}) or through the codec, body aggregator and request
 * handler alone, with a long-running route so that no admission happens ({@code none}). Run with
 * {@code server/bench/run-jmh.sh} (JMH) or {@code server/bench/run-jmh.sh --alternate} ({@link #main}); not part of
 * the unit tests.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FrontEndBenchmark {
    private static final byte[] ANSWER = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @Param({"none", "limits"})
    public String pipeline;

    @Param({"GET", "POST"})
    public String method;

    private EmbeddedChannel channel;
    private byte[] request;
    private Path tokens;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        tokens = Files.createTempFile("tokens", ".csv");
        Files.writeString(tokens, "bench-token,bench,bench-uid,\"devs\"\n");
        ServingOptions options = ServingOptions.defaults();
        boolean limits = pipeline.equals("limits");
        RequestKind kind = !limits ? RequestKind.LONG_RUNNING : method.equals("GET") ? RequestKind.READ_ONLY : RequestKind.MUTATING;
        ApiDispatcher dispatcher = r -> new Route(kind, exchange -> exchange.reply(Reply.json(200, ANSWER)));
        ConnectionTimeouts timeouts = new ConnectionTimeouts(options);
        List<ChannelHandler> handlers = new ArrayList<>();
        if (limits) handlers.add(timeouts.bytesSeen());
        handlers.add(new HttpServerCodec(new HttpDecoderConfig()));
        if (limits) {
            handlers.add(timeouts);
            handlers.add(new MalformedRequests());
        }
        handlers.add(new BodySizeLimit());
        handlers.add(new RequestHandler(dispatcher, null, StaticTokenFile.load(tokens),
                new InFlightLimits(options.maxRequestsInFlight(), options.maxMutatingRequestsInFlight()), timeouts, options,
                RegistryWork.inline(), RequestObserver.NONE));
        channel = new EmbeddedChannel(handlers.toArray(new ChannelHandler[0]));
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},\"data\":{\"k\":\""
                + "v".repeat(200) + "\"}}";
        String text = method.equals("GET")
                ? "GET /api/v1/namespaces/a/pods/p HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bench-token\r\n"
                        + "Accept: application/json\r\n\r\n"
                : "POST /api/v1/namespaces/a/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bench-token\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        request = text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.finishAndReleaseAll();
        Files.deleteIfExists(tokens);
    }

    /**
     * For a machine shared with other work, where JMH's averages measure the stalls: both pipelines alternately in one
     * process, {@code rounds} rounds of 100,000 requests each, and each pipeline's best round (run-jmh.sh --alternate).
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        for (String method : List.of("GET", "POST")) {
            long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
            String[] pipelines = {"none", "limits"};
            for (int round = 0; round < rounds; round++) {
                for (int p = 0; p < 2; p++) {
                    FrontEndBenchmark b = new FrontEndBenchmark();
                    b.pipeline = pipelines[p];
                    b.method = method;
                    b.setUp();
                    long started = System.nanoTime();
                    for (int i = 0; i < 100_000; i++) b.request();
                    long perRequest = (System.nanoTime() - started) / 100_000;
                    b.tearDown();
                    if (round >= 2) best[p] = Math.min(best[p], perRequest); // the first rounds warm the JIT
                }
            }
            System.out.printf("%s: without the limits %d ns, with them %d ns, added %d ns (best of %d rounds)%n",
                    method, best[0], best[1], best[1] - best[0], rounds - 2);
        }
    }

    @Benchmark
    public int request() {
        channel.writeInbound(Unpooled.wrappedBuffer(request));
        int written = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            written++;
            ReferenceCountUtil.release(out);
        }
        return written;
    }
}
