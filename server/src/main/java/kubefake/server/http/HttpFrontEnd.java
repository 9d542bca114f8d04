package kubefake.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import kubefake.certs.ClientCertificateVerifier;
import kubefake.server.auth.StaticTokenFile;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The HTTPS listener: Netty on NIO, JDK TLS offering ALPN http/1.1 (kubectl offers h2 first and falls back), client
 * certificates requested but not required. Any client certificate completes the handshake: it is judged per request
 * against the cluster CA, so a certificate from another CA gets a 401 like a real API server, not a TLS alert.
 */
public final class HttpFrontEnd implements AutoCloseable {
    /** Go's HTTP server takes up to 1 MiB of request line and headers (long label selectors, many query values). */
    private static final int MAX_REQUEST_LINE = 1024 * 1024;
    private static final int MAX_HEADERS = 1024 * 1024;

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    private Channel channel;

    /** Listens with the TLS context made by {@link #sslContext}. */
    public void start(String bindAddress, int port, SslContext ssl, ClientCertificateVerifier certificates,
                      StaticTokenFile tokens, ApiDispatcher dispatcher) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("tls", ssl.newHandler(ch.alloc()))
                                .addLast("http", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADERS, 64 * 1024))
                                .addLast("aggregate", new BodySizeLimit())
                                .addLast("api", new RequestHandler(dispatcher, certificates, tokens));
                    }
                });
        channel = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
    }

    /** JDK TLS with the serving identity, requesting (not requiring) client certificates, ALPN http/1.1. */
    public static SslContext sslContext(PrivateKey key, X509Certificate[] chain, ClientCertificateVerifier certificates) {
        try {
            SSLContext jdk = SSLContext.getInstance("TLS");
            jdk.init(new KeyManager[] {new ServingKeyManager(key, chain)},
                    new TrustManager[] {certificates.requestingTrustManager()}, null);
            return new JdkSslContext(jdk, false, null, IdentityCipherSuiteFilter.INSTANCE,
                    new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1),
                    ClientAuth.OPTIONAL);
        } catch (GeneralSecurityException e) {
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
    }
}
