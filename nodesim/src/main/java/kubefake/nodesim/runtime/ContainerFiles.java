package kubefake.nodesim.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The few files an exec shell looks at in a container, seeded per image: the root directories of its distribution,
 * {@code /etc/hostname}, and nginx's pages and pid file. Directories are the paths ending in {@code /}.
 */
final class ContainerFiles {
    private static final List<String> DEBIAN_ROOT = List.of("bin", "boot", "dev", "etc", "home", "lib", "lib64", "media",
            "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var");
    private static final List<String> BUSYBOX_ROOT = List.of("bin", "dev", "etc", "home", "lib", "lib64", "proc", "root",
            "sys", "tmp", "usr", "var");
    static final String NGINX_INDEX = """
            <!DOCTYPE html>
            <html>
            <head>
            <title>Welcome to nginx!</title>
            <style>
            html { color-scheme: light dark; }
            body { width: 35em; margin: 0 auto;
            font-family: Tahoma, Verdana, Arial, sans-serif; }
            </style>
            </head>
            <body>
            <h1>Welcome to nginx!</h1>
            <p>If you see this page, the nginx web server is successfully installed and
            working. Further configuration is required.</p>

            <p>For online documentation and support please refer to
            <a href="http://nginx.org/">nginx.org</a>.<br/>
            Commercial support is available at
            <a href="http://nginx.com/">nginx.com</a>.</p>

            <p><em>Thank you for using nginx.</em></p>
            </body>
            </html>
            """;

    private final Map<String, String> files = new TreeMap<>();

    ContainerFiles(Image image, String hostname) {
        for (String d : image.bash() ? DEBIAN_ROOT : BUSYBOX_ROOT) files.put("/" + d + "/", "");
        files.put("/etc/hostname", hostname + "\n");
        files.put("/etc/hosts", "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (image.run().answers().equals("static") || image.programs().containsKey("nginx")) {
            files.put("/docker-entrypoint.sh", "#!/bin/sh\n");
            files.put("/docker-entrypoint.d/", "");
            files.put("/usr/share/nginx/html/index.html", NGINX_INDEX);
            files.put("/usr/share/nginx/html/50x.html", "");
            files.put("/etc/nginx/nginx.conf", "");
            files.put("/etc/nginx/conf.d/default.conf", "");
            files.put("/run/nginx.pid", "1\n");
        }
    }

    boolean isDirectory(String path) {
        String p = normalize(path);
        return p.equals("/") || files.containsKey(p + "/") || files.keySet().stream().anyMatch(k -> k.startsWith(p + "/"));
    }

    boolean isFile(String path) {
        return files.containsKey(normalize(path));
    }

    String read(String path) {
        return files.get(normalize(path));
    }

    void write(String path, String content, boolean append) {
        String p = normalize(path);
        files.merge(p, content, (old, add) -> append ? old + add : add);
    }

    /** The names directly under a directory, sorted. */
    List<String> list(String dir) {
        String prefix = normalize(dir).equals("/") ? "/" : normalize(dir) + "/";
        List<String> names = new ArrayList<>();
        for (String k : files.keySet()) {
            if (!k.startsWith(prefix) || k.equals(prefix)) continue;
            String rest = k.substring(prefix.length());
            int slash = rest.indexOf('/');
            String name = slash < 0 ? rest : rest.substring(0, slash);
            if (!names.contains(name)) names.add(name);
        }
        return names;
    }

    /** An absolute path without {@code .}, {@code ..} and trailing slashes. */
    static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (!parts.isEmpty()) parts.remove(parts.size() - 1);
            } else {
                parts.add(s);
            }
        }
        return "/" + String.join("/", parts);
    }
}
