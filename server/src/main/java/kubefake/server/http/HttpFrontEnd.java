package kubefake.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import jdk.net.ExtendedSocketOptions;
import kubefake.certs.ClientCertificateVerifier;
import kubefake.server.auth.TokenAuthenticator;
import kubefake.store.mvcc.DeferredDurability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS listener: Netty on NIO, TLS ({@link #sslContext}) offering ALPN http/1.1 (kubectl offers h2 first and falls back), client
 * certificates requested but not required. Any client certificate completes the handshake: it is judged per request
 * against the cluster CA, so a certificate from another CA gets a 401 like a real API server, not a TLS alert.
 * <p>
 * Each connection's pipeline: TLS (handshake bounded by the read-header timeout), {@link ConnectionTimeouts}'s byte
 * watch, the HTTP codec (Go's header limit), {@link ConnectionTimeouts}, {@link MalformedRequests} (431/400 and close),
 * {@link BodySizeLimit} (413), {@link RequestHandler} (authentication, in-flight limits, request timeout, dispatch;
 * writes that wait served on {@link RegistryWork}'s pool).
 * Connections beyond {@link ServingOptions#maxConnections()} are closed when accepted; TCP keep-alive finds dead peers.
 */
public final class HttpFrontEnd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontEnd.class);
    /** Go reads up to MaxHeaderBytes plus its 4 KiB of buffer slop before answering 431 (Netty counts the request line apart). */
    private static final int MAX_HEADER_SECTION = ServingOptions.MAX_HEADER_BYTES + 4096;

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    /**
     * Where TLS handshakes do their cryptography (the engine's delegated tasks): off the event loops, so that a
     * burst of new connections does not hold up the requests of connections already open.
     */
    private final ExecutorService handshakes = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("tls-handshake", true));
    private RegistryWork registryWork = RegistryWork.inline();
    private Channel channel;
    private RequestObserver observer = RequestObserver.NONE;
    private InFlightLimits inFlight;

    /** Who is told of each answered request (before {@link #start}). */
    public void observeRequests(RequestObserver o) {
        observer = o;
    }

    /** Read-only (or mutating) requests holding an in-flight slot now (0 when that limit is off). */
    public int inFlight(boolean mutating) {
        return inFlight == null ? 0 : inFlight.current(mutating);
    }

    /**
     * Listens with the TLS context made by {@link #sslContext}.
     *
     * @param writesWait whether the store's writes wait (see {@link RegistryWork}): then every write is served off the
     *                   event loops, unless {@code durability} lets them be answered later
     * @param durability null, or how writes served on the event loops learn that they are durable
     */
    public void start(String bindAddress, int port, SslContext ssl, ClientCertificateVerifier certificates,
                      TokenAuthenticator tokens, ApiDispatcher dispatcher, ServingOptions options, boolean writesWait,
                      DeferredDurability durability)
            throws InterruptedException {
        ConnectionCap connections = new ConnectionCap(options.maxConnections());
        InFlightLimits inFlight = new InFlightLimits(options.maxRequestsInFlight(), options.maxMutatingRequestsInFlight());
        this.inFlight = inFlight;
        RequestObserver observer = this.observer;
        registryWork = RegistryWork.pool(options.maxMutatingRequestsInFlight(), writesWait, durability);
        HttpDecoderConfig http = new HttpDecoderConfig().setMaxInitialLineLength(MAX_HEADER_SECTION)
                .setMaxHeaderSize(MAX_HEADER_SECTION).setMaxChunkSize(64 * 1024);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // the pooled allocator rather than Netty 4.2's default adaptive one: a GET's buffers (the request read,
                // the encoded answer, TLS's records) cost the event loops less to take and give back from it
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                        (int) ServingOptions.TCP_KEEPALIVE_IDLE.toSeconds())
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                        (int) ServingOptions.TCP_KEEPALIVE_INTERVAL.toSeconds())
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), ServingOptions.TCP_KEEPALIVE_COUNT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!connections.admit(ch)) {
                            ch.close();
                            return;
                        }
                        SslHandler tls = ssl.newHandler(ch.alloc(), handshakes);
                        // Go bounds the handshake by the smallest of its read timeouts: here the read-header timeout
                        tls.setHandshakeTimeout(options.readHeaderTimeout().toNanos(), TimeUnit.NANOSECONDS);
                        ConnectionTimeouts timeouts = new ConnectionTimeouts(options);
                        ch.pipeline()
                                .addLast("tls", tls)
                                .addLast("tickets", new HandshakeFlush())
                                .addLast("bytes", timeouts.bytesSeen())
                                .addLast("http", new HttpServerCodec(http))
                                .addLast("timeouts", timeouts)
                                .addLast("malformed", new MalformedRequests())
                                .addLast("aggregate", new BodySizeLimit())
                                .addLast("api", new RequestHandler(dispatcher, certificates, tokens, inFlight, timeouts, options,
                                        registryWork, observer));
                    }
                });
        channel = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
    }

    /**
     * Loads the TLS library {@link #sslContext} uses (BoringSSL's native library, and the JDK's TLS that Netty's set-up
     * of it reads), which needs nothing of the cluster's: a start calls it early, on a thread beside its command line.
     */
    public static void loadTlsLibrary() {
        OpenSsl.isAvailable();
    }

    /**
     * TLS with the serving identity, requesting (not requiring) client certificates, ALPN http/1.1: BoringSSL (the
     * native library the jar carries) where it loads, for it costs the event loops less per byte and per handshake than
     * the JDK's engine; the JDK's TLS elsewhere. Both hand the client's chain, leaf first, to {@link RequestHandler}.
     */
    public static SslContext sslContext(PrivateKey key, X509Certificate[] chain, ClientCertificateVerifier certificates) {
        ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_1_1);
        try {
            if (OpenSsl.isAvailable()) {
                LOG.debug("TLS: OpenSSL provider ({})", OpenSsl.versionString());
                // the key as it is, not through forServer(key, chain): that stores it in a PKCS#12 key store and reads
                // it back, two PBKDF2 derivations of 10,000 rounds (~100 ms of a cold start's CPU) for nothing; the
                // caching factory converts it to BoringSSL's form once, as that path does
                KeyManagerFactory keys = new OpenSslCachingX509KeyManagerFactory(
                        new KeyManagerFactoryWrapper(new ServingKeyManager(key, chain)));
                return SslContextBuilder.forServer(keys)
                        .sslProvider(SslProvider.OPENSSL)
                        .trustManager(certificates.requestingTrustManager())
                        .clientAuth(ClientAuth.OPTIONAL)
                        .applicationProtocolConfig(alpn)
                        .build();
            }
            LOG.debug("TLS: JDK provider (OpenSSL unavailable: {})", String.valueOf(OpenSsl.unavailabilityCause()));
            SSLContext jdk = SSLContext.getInstance("TLS");
            jdk.init(new KeyManager[] {new ServingKeyManager(key, chain)},
                    new TrustManager[] {certificates.requestingTrustManager()}, null);
            return new JdkSslContext(jdk, false, null, IdentityCipherSuiteFilter.INSTANCE, alpn, ClientAuth.OPTIONAL);
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        // wait, so that an embedding test can start the next cluster on a clean slate
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(3, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(3, java.util.concurrent.TimeUnit.SECONDS);
        handshakes.shutdownNow();
        registryWork.close();
    }
}
