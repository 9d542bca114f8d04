package kubefake.nodesim.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * {@code nginx} run by exec in nginx's image (version 1.29.3, Debian's package build), while PID 1 is the image's
 * nginx: {@code -v}/{@code -V} print the version (and build) on stderr, {@code -t}/{@code -T} test the configuration,
 * {@code -s reload|reopen} signal the master (its notice line), {@code -s stop|quit} end it (the container's main
 * process: the kubelet restarts it). Started as a server it cannot bind port 80, which the master holds: five tries
 * half a second apart, then {@code still could not bind()} and status 1.
 */
final class NginxCommand implements Program {
    static final String VERSION = "nginx version: nginx/1.29.3\n";
    private static final String BUILD = "built by gcc 14.2.0 (Debian 14.2.0-19) \n"
            + "built with OpenSSL 3.5.1 1 Jul 2025\n"
            + "TLS SNI support enabled\n"
            + "configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules"
            + " --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log"
            + " --http-log-path=/var/log/nginx/access.log --pid-path=/run/nginx.pid --lock-path=/run/nginx.lock"
            + " --http-client-body-temp-path=/var/cache/nginx/client_temp --http-proxy-temp-path=/var/cache/nginx/proxy_temp"
            + " --http-fastcgi-temp-path=/var/cache/nginx/fastcgi_temp --http-uwsgi-temp-path=/var/cache/nginx/uwsgi_temp"
            + " --http-scgi-temp-path=/var/cache/nginx/scgi_temp --user=nginx --group=nginx --with-compat --with-file-aio"
            + " --with-threads --with-http_addition_module --with-http_auth_request_module --with-http_dav_module"
            + " --with-http_flv_module --with-http_gunzip_module --with-http_gzip_static_module --with-http_mp4_module"
            + " --with-http_random_index_module --with-http_realip_module --with-http_secure_link_module"
            + " --with-http_slice_module --with-http_ssl_module --with-http_stub_status_module --with-http_sub_module"
            + " --with-http_v2_module --with-http_v3_module --with-mail --with-mail_ssl_module --with-stream"
            + " --with-stream_realip_module --with-stream_ssl_module --with-stream_ssl_preread_module"
            + " --with-cc-opt='-g -O2 -ffile-prefix-map=/home/builder/debuild/nginx-1.29.3/debian/debuild-base/nginx-1.29.3=."
            + " -fstack-protector-strong -Wformat -Werror=format-security -Wp,-D_FORTIFY_SOURCE=2 -fPIC'"
            + " --with-ld-opt='-Wl,-z,relro -Wl,-z,now -Wl,--as-needed -pie'\n";
    private static final String CONF = "/etc/nginx/nginx.conf";
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final int pid;

    /** @param pid the exec'd process's PID, which nginx's log lines show */
    NginxCommand(int pid) {
        this.pid = pid;
    }

    @Override
    public Running run(Context context, List<String> args, Output out, IntConsumer done) {
        String signal = null;
        boolean test = false;
        boolean dump = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-v" -> {
                    out.err(VERSION);
                    done.accept(0);
                    return null;
                }
                case "-V" -> {
                    out.err(VERSION + BUILD);
                    done.accept(0);
                    return null;
                }
                case "-h", "-?" -> {
                    out.err(VERSION + "Usage: nginx [-?hvVtTq] [-s signal] [-p prefix]\n"
                            + "             [-e filename] [-c filename] [-g directives]\n");
                    done.accept(0);
                    return null;
                }
                case "-t" -> test = true;
                case "-T" -> dump = true;
                case "-q" -> {
                }
                case "-s", "-g", "-c", "-p", "-e" -> {
                    if (i + 1 >= args.size()) {
                        out.err("nginx: option \"" + a + "\" requires " + (a.equals("-s") ? "signal name" : a.equals("-g")
                                ? "parameter" : "file name") + "\n");
                        done.accept(1);
                        return null;
                    }
                    if (a.equals("-s")) signal = args.get(i + 1);
                    i++;
                }
                default -> {
                    out.err("nginx: invalid option: \"" + a.replaceFirst("^-", "") + "\"\n");
                    done.accept(1);
                    return null;
                }
            }
        }
        if (test || dump) {
            out.err("nginx: the configuration file " + CONF + " syntax is ok\n"
                    + "nginx: configuration file " + CONF + " test is successful\n");
            if (dump) out.out(configuration(context.files()));
            done.accept(0);
            return null;
        }
        String now = LOG_TIME.format(Instant.now());
        if (signal != null) {
            switch (signal) {
                case "reload", "reopen" -> out.err(now + " [notice] " + pid + "#" + pid + ": signal process started\n");
                case "stop", "quit" -> {
                    out.err(now + " [notice] " + pid + "#" + pid + ": signal process started\n");
                    context.container().signalMain().run();
                }
                default -> {
                    out.err("nginx: invalid option: \"-s " + signal + "\"\n");
                    done.accept(1);
                    return null;
                }
            }
            done.accept(0);
            return null;
        }
        return bind(context, out, done, 1);
    }

    /** One try to listen on port 80 (and [::]:80), which PID 1 holds; the fifth failure ends it. */
    private Running bind(Context context, Output out, IntConsumer done, int attempt) {
        String now = LOG_TIME.format(Instant.now());
        for (String address : List.of("0.0.0.0:80", "[::]:80")) {
            String message = "bind() to " + address + " failed (98: Address already in use)";
            out.err(now + " [emerg] " + pid + "#" + pid + ": " + message + "\nnginx: [emerg] " + message + "\n");
        }
        if (attempt == 5) {
            out.err(now + " [emerg] " + pid + "#" + pid + ": still could not bind()\nnginx: [emerg] still could not bind()\n");
            done.accept(1);
            return null;
        }
        Runnable[] next = new Runnable[1];
        Running running = () -> next[0].run();
        next[0] = context.timer().after(Duration.ofMillis(500), () -> {
            Running again = bind(context, out, done, attempt + 1);
            next[0] = again == null ? () -> { } : again::kill;
        });
        return running;
    }

    /** {@code nginx -T}: each configuration file nginx reads, after a comment naming it. */
    private static String configuration(ContainerFiles files) {
        StringBuilder b = new StringBuilder();
        for (String path : List.of(CONF, "/etc/nginx/mime.types", "/etc/nginx/conf.d/default.conf")) {
            String text = files.read(path);
            if (text == null) continue;
            b.append("# configuration file ").append(path).append(":\n").append(text);
            if (!text.endsWith("\n")) b.append('\n');
            b.append('\n');
        }
        return b.toString();
    }
}
