package kubefake.nodesim.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's file system: the image's files (the root directories of its distribution, {@code /etc/hostname},
 * nginx's pages and pid file) and what exec'd processes write there ({@code echo > file}, {@code tar -x} for
 * {@code kubectl cp}). One per container run, shared by its exec sessions (the runtime keeps it in the
 * {@link ProcessTable}); a restarted container starts again from the image. Safe to use from several threads.
 */
public final class ContainerFiles {
    /**
     * A file or directory as {@code ls -l} and tar see it. A file appended to keeps room to grow in its buffer (shared
     * with the entry it replaced, which sees only its own length), so that a program writing a file a chunk at a time
     * copies what it adds, not the whole file each time.
     */
    public static final class Entry {
        private final boolean directory;
        private volatile byte[] buffer;
        private final int length;
        private final int mode;
        private final Instant modified;

        private Entry(boolean directory, byte[] buffer, int length, int mode, Instant modified) {
            this.directory = directory;
            this.buffer = buffer;
            this.length = length;
            this.mode = mode;
            this.modified = modified;
        }

        static Entry directory(Instant modified) {
            return new Entry(true, new byte[0], 0, 0755, modified);
        }

        static Entry file(byte[] content, int mode, Instant modified) {
            return new Entry(false, content, content.length, mode, modified);
        }

        public boolean directory() {
            return directory;
        }

        /** The file's bytes (not to be changed). */
        public byte[] content() {
            byte[] b = buffer;
            if (b.length != length) buffer = b = Arrays.copyOf(b, length);
            return b;
        }

        public int size() {
            return length;
        }

        public int mode() {
            return mode;
        }

        public Instant modified() {
            return modified;
        }

        /** This file with {@code data} after its bytes, written at {@code at}. */
        Entry append(byte[] data, Instant at) {
            byte[] b = buffer;
            if (b.length - length < data.length) b = Arrays.copyOf(b, Math.max(length + data.length, Math.max(256, length * 2)));
            System.arraycopy(data, 0, b, length, data.length);
            return new Entry(false, b, length + data.length, mode, at);
        }
    }

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
    public static final String NGINX_ROOT = "/usr/share/nginx/html";

    /**
     * What the container's writable layer holds at most (its files' bytes): beyond, a write from a process fails with
     * "No space left on device", as on a node whose disk is full, instead of the simulation holding every byte
     * ({@code yes > /tmp/f} fills it in seconds). The same size as the largest archive {@code kubectl cp} may bring.
     */
    public static final long CAPACITY = 64L << 20;

    /** By normalized absolute path; "/" is implied. */
    private final Map<String, Entry> entries = new TreeMap<>();
    /** The bytes of every file in {@link #entries}. */
    private long used;

    /** The image's files, as a container created at {@code created} finds them. */
    public ContainerFiles(Image image, String hostname, Instant created) {
        for (String d : image.bash() ? DEBIAN_ROOT : BUSYBOX_ROOT) mkdirs("/" + d, created);
        put("/etc/hostname", hostname + "\n", created);
        put("/etc/hosts", "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", created);
        if (image.shell()) ImageFiles.install(image.bash() ? "debian" : "busybox", this, created);
        if (image.run().answers().equals("static") || image.programs().containsKey("nginx")) {
            ImageFiles.install("nginx", this, created);
            put("/docker-entrypoint.sh", "#!/bin/sh\n", created);
            mkdirs("/docker-entrypoint.d", created);
            put(NGINX_ROOT + "/index.html", NGINX_INDEX, created);
            put("/run/nginx.pid", "1\n", created);
        }
    }

    private void put(String path, String text, Instant modified) {
        writeFile(path, text.getBytes(StandardCharsets.UTF_8), 0644, modified);
    }

    public synchronized boolean isDirectory(String path) {
        String p = normalize(path);
        if (p.equals("/")) return true;
        Entry e = entries.get(p);
        return e != null && e.directory();
    }

    public synchronized boolean isFile(String path) {
        Entry e = entries.get(normalize(path));
        return e != null && !e.directory();
    }

    public synchronized boolean exists(String path) {
        String p = normalize(path);
        return p.equals("/") || entries.containsKey(p);
    }

    /** A file's text (UTF-8), or null. */
    public String read(String path) {
        byte[] b = bytes(path);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A file's bytes, or null. */
    public synchronized byte[] bytes(String path) {
        Entry e = entries.get(normalize(path));
        return e == null || e.directory() ? null : e.content();
    }

    /** The entry at a path ("/" included), or null. */
    public synchronized Entry entry(String path) {
        String p = normalize(path);
        return p.equals("/") ? Entry.directory(Instant.EPOCH) : entries.get(p);
    }

    /** Writes text (UTF-8) to a file, replacing or appending to it; its directory is made if missing. */
    public synchronized void write(String path, String content, boolean append) {
        byte[] add = content.getBytes(StandardCharsets.UTF_8);
        if (append) append(path, add, Instant.now());
        else writeFile(path, add, mode(normalize(path)), Instant.now());
    }

    /** Adds bytes at the end of a file (made, mode 0644, if missing; a directory in the way is replaced). */
    public synchronized void append(String path, byte[] data, Instant modified) {
        String p = normalize(path);
        Entry old = entries.get(p);
        if (old == null || old.directory()) {
            writeFile(p, data.clone(), 0644, modified);
            return;
        }
        put(p, old.append(data, modified));
    }

    /** Whether {@code more} bytes fit in the writable layer ({@link #CAPACITY}). */
    public synchronized boolean room(long more) {
        return used + more <= CAPACITY;
    }

    private void put(String normalized, Entry e) {
        Entry old = entries.put(normalized, e);
        used += e.size() - (old == null ? 0 : old.size());
    }

    private int mode(String normalized) {
        Entry e = entries.get(normalized);
        return e == null ? 0644 : e.mode();
    }

    /** Writes a whole file with its mode and time; missing directories above it are made. */
    public synchronized void writeFile(String path, byte[] content, int mode, Instant modified) {
        String p = normalize(path);
        mkdirs(parent(p), modified);
        put(p, Entry.file(content, mode & 07777, modified));
    }

    /** Makes a directory and the ones above it (mkdir -p); a file in the way is replaced, as tar does. */
    public synchronized void mkdirs(String path, Instant modified) {
        String p = normalize(path);
        if (p.equals("/")) return;
        mkdirs(parent(p), modified);
        Entry e = entries.get(p);
        if (e == null || !e.directory()) put(p, Entry.directory(modified));
    }

    /** Removes a file, or a directory with everything under it. */
    public synchronized void remove(String path) {
        String p = normalize(path);
        Entry gone = entries.remove(p);
        if (gone != null) used -= gone.size();
        entries.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(p + "/")) return false;
            used -= e.getValue().size();
            return true;
        });
    }

    /** The names directly under a directory, sorted. */
    public synchronized List<String> list(String dir) {
        String prefix = normalize(dir).equals("/") ? "/" : normalize(dir) + "/";
        List<String> names = new ArrayList<>();
        for (String k : entries.keySet()) {
            if (!k.startsWith(prefix)) continue;
            String rest = k.substring(prefix.length());
            if (!rest.isEmpty() && rest.indexOf('/') < 0) names.add(rest);
        }
        return names;
    }

    /** The path and, for a directory, everything under it, each directory before its contents. */
    public synchronized List<String> tree(String path) {
        String p = normalize(path);
        List<String> out = new ArrayList<>();
        if (!exists(p)) return out;
        out.add(p);
        if (isDirectory(p)) {
            for (String name : list(p)) out.addAll(tree(p.equals("/") ? "/" + name : p + "/" + name));
        }
        return out;
    }

    private static String parent(String normalized) {
        int slash = normalized.lastIndexOf('/');
        return slash <= 0 ? "/" : normalized.substring(0, slash);
    }

    /** An absolute path without {@code .}, {@code ..} and trailing slashes. */
    public static String normalize(String path) {
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
