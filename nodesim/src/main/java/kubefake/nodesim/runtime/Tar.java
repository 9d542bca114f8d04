package kubefake.nodesim.runtime;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tar} in a container, over its {@link ContainerFiles}: what {@code kubectl cp} runs through exec ({@code tar cf
 * - /path} to copy out, {@code tar -xmf - -C dir} to copy in) and what a user types. Real tar streams (Apache Commons
 * Compress reads and writes them; kubectl's Go {@code archive/tar} is on the other side), with GNU tar's messages and
 * exit codes in images with bash (Debian's GNU tar 1.34, as in nginx) and BusyBox tar's elsewhere.
 */
final class Tar {
    /**
     * What a tar run printed and its status: {@code notes} on stderr as it works (before the archive, which tar writes
     * in whole 10 KiB records, mostly at its end: kubectl cp shows the notes because they come first),
     * {@code stdout} (the archive for {@code f -}, a listing for {@code xv}), then {@code stderr}, its last words.
     */
    record Result(String notes, byte[] stdout, String stderr, int status) {
        Result(byte[] stdout, String stderr, int status) {
            this("", stdout, stderr, status);
        }
    }

    /** The command line, as GNU tar reads it: an old-style first word ({@code cf}), short and long options, names. */
    record Options(char mode, String file, String directory, boolean touch, boolean verbose, List<String> names, String error) {
        static Options parse(List<String> args) {
            char mode = 0;
            String file = null;
            String directory = null;
            boolean touch = false;
            boolean verbose = false;
            List<String> names = new ArrayList<>();
            List<String> pendingArgs = new ArrayList<>(); // letters waiting for their argument (f, C), in order
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (!pendingArgs.isEmpty()) {
                    String letter = pendingArgs.remove(0);
                    if (letter.equals("f")) file = a;
                    else directory = a;
                    continue;
                }
                boolean oldStyle = i == 0 && !a.startsWith("-") && !a.isEmpty();
                if (a.startsWith("--")) {
                    if (a.startsWith("--file=")) file = a.substring(7);
                    else if (a.startsWith("--directory=")) directory = a.substring(12);
                    else if (a.equals("--extract") || a.equals("--get")) mode = 'x';
                    else if (a.equals("--create")) mode = 'c';
                    else if (a.equals("--list")) mode = 't';
                    else if (a.equals("--touch")) touch = true;
                    else if (a.equals("--verbose")) verbose = true;
                    else if (a.equals("--file") || a.equals("--directory")) pendingArgs.add(a.equals("--file") ? "f" : "C");
                    // --no-same-permissions, --no-same-owner: ownership and umask are root's either way
                    continue;
                }
                if (oldStyle || a.startsWith("-") && a.length() > 1) {
                    String letters = oldStyle ? a : a.substring(1);
                    for (int j = 0; j < letters.length(); j++) {
                        char c = letters.charAt(j);
                        switch (c) {
                            case 'c', 'x', 't' -> mode = c;
                            case 'm' -> touch = true;
                            case 'v' -> verbose = true;
                            case 'o', 'p' -> { }
                            case 'f', 'C' -> {
                                String rest = letters.substring(j + 1);
                                if (!oldStyle && !rest.isEmpty()) { // -fFILE, -Cdir
                                    if (c == 'f') file = rest;
                                    else directory = rest;
                                    j = letters.length();
                                } else {
                                    pendingArgs.add(String.valueOf(c));
                                }
                            }
                            default -> {
                                return new Options(mode, file, directory, touch, verbose, names, "invalid option -- '" + c + "'");
                            }
                        }
                    }
                    continue;
                }
                names.add(a);
            }
            if (!pendingArgs.isEmpty()) {
                return new Options(mode, file, directory, touch, verbose, names, "option requires an argument -- '" + pendingArgs.get(0) + "'");
            }
            return new Options(mode, file, directory, touch, verbose, names, null);
        }
    }

    /** tar's default record: 20 blocks of 512 bytes, the archive padded to a whole one. */
    private static final int RECORD = 10240;

    private final ContainerFiles files;
    private final boolean gnu;

    /** @param gnu GNU tar's wording (Debian-based images), else BusyBox's */
    Tar(ContainerFiles files, boolean gnu) {
        this.files = files;
        this.gnu = gnu;
    }

    /** A usage error before anything is read or written. */
    Result usage(Options o) {
        if (o.error() != null) {
            return gnu ? new Result(new byte[0], "tar: " + o.error() + "\nTry 'tar --help' or 'tar --usage' for more information.\n", 2)
                    : new Result(new byte[0], "tar: " + o.error() + "\n", 1);
        }
        if (o.mode() == 0) {
            return gnu ? new Result(new byte[0], "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n"
                    + "Try 'tar --help' or 'tar --usage' for more information.\n", 2)
                    : new Result(new byte[0], "tar: need -c, -x or -t\n", 1);
        }
        if (o.mode() == 'c' && o.names().isEmpty()) {
            return gnu ? new Result(new byte[0], "tar: Cowardly refusing to create an empty archive\n"
                    + "Try 'tar --help' or 'tar --usage' for more information.\n", 2)
                    : new Result(new byte[0], "tar: empty archive\n", 1);
        }
        return null;
    }

    /** {@code tar c}: the named files and directories (relative to {@code cwd}), leading slashes taken off their names. */
    Result create(Options o, String cwd) {
        String base = o.directory() == null ? cwd : resolve(cwd, o.directory());
        StringBuilder err = new StringBuilder();
        boolean failed = false;
        boolean stripped = false;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, RECORD)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String name : o.names()) {
                String path = resolve(base, name);
                if (!files.exists(path)) {
                    err.append(gnu ? "tar: " + name + ": Cannot stat: No such file or directory\n"
                            : "tar: " + name + ": No such file or directory\n");
                    failed = true;
                    continue;
                }
                String member = name;
                if (member.startsWith("/")) {
                    member = member.replaceFirst("^/+", "");
                    if (!stripped) {
                        err.append(gnu ? "tar: Removing leading `/' from member names\n" : "tar: removing leading '/' from member names\n");
                        stripped = true;
                    }
                }
                String root = ContainerFiles.normalize(path);
                for (String p : files.tree(path)) {
                    ContainerFiles.Entry e = files.entry(p);
                    String suffix = p.substring(root.length()).replaceFirst("^/", "");
                    String entryName = member.isEmpty() ? suffix : suffix.isEmpty() ? member : trimSlash(member) + "/" + suffix;
                    if (e.directory() && !entryName.endsWith("/")) entryName += "/";
                    if (entryName.isEmpty() || entryName.equals("/")) entryName = "./";
                    TarArchiveEntry te = new TarArchiveEntry(entryName);
                    te.setMode((e.directory() ? 040000 : 0100000) | e.mode());
                    te.setIds(0, 0);
                    te.setNames("root", "root");
                    te.setLastModifiedTime(FileTime.from(e.modified()));
                    te.setSize(e.directory() ? 0 : e.content().length);
                    out.putArchiveEntry(te);
                    if (!e.directory()) out.write(e.content());
                    out.closeArchiveEntry();
                    if (o.verbose()) err.append(entryName).append('\n'); // with f -, tar lists on stderr
                }
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
        return new Result(err.toString(), bytes.toByteArray(), failed && gnu ? "tar: Exiting with failure status due to previous errors\n" : "",
                failed ? (gnu ? 2 : 1) : 0);
    }

    /**
     * {@code tar x}: the archive's members written under the directory ({@code -C}, else {@code cwd}); {@code tar t}
     * lists them.
     */
    Result extract(Options o, String cwd, byte[] archive, Instant now) {
        String base = o.directory() == null ? cwd : resolve(cwd, o.directory());
        if (!files.isDirectory(base)) {
            String why = files.exists(base) ? "Not a directory" : "No such file or directory";
            return gnu ? new Result(new byte[0], "tar: " + o.directory() + ": Cannot open: " + why + "\n"
                    + "tar: Error is not recoverable: exiting now\n", 2)
                    : new Result(new byte[0], "tar: can't change directory to '" + o.directory() + "': " + why + "\n", 1);
        }
        if (archive.length == 0) return new Result(new byte[0], "", 0);
        StringBuilder err = new StringBuilder();
        StringBuilder listed = new StringBuilder();
        boolean stripped = false;
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            TarArchiveEntry e;
            boolean any = false;
            while ((e = in.getNextEntry()) != null) {
                any = true;
                String name = e.getName();
                if (name.startsWith("/")) {
                    name = name.replaceFirst("^/+", "");
                    if (!stripped) {
                        err.append(gnu ? "tar: Removing leading `/' from member names\n" : "tar: removing leading '/' from member names\n");
                        stripped = true;
                    }
                }
                boolean list = o.mode() == 't';
                if (list || o.verbose()) listed.append(e.getName()).append('\n');
                if (list) continue;
                String target = resolve(base, name);
                Instant modified = o.touch() ? now : e.getLastModifiedTime().toInstant();
                if (e.isDirectory()) {
                    files.mkdirs(target, modified);
                } else if (e.isFile()) {
                    files.writeFile(target, in.readAllBytes(), e.getMode(), modified);
                }
                // links and devices: nothing a simulated container needs
            }
            if (!any && !looksEmpty(archive)) return notATar();
        } catch (IOException | IllegalArgumentException e) {
            return notATar();
        }
        return new Result(err.toString(), listed.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "", 0);
    }

    private Result notATar() {
        return gnu ? new Result(new byte[0], "tar: This does not look like a tar archive\n"
                + "tar: Exiting with failure status due to previous errors\n", 2)
                : new Result(new byte[0], "tar: invalid tar magic\n", 1);
    }

    /** An archive of zero blocks only (an empty tar, as tar writes for nothing): no members, no error. */
    private static boolean looksEmpty(byte[] archive) {
        for (byte b : archive) if (b != 0) return false;
        return true;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String resolve(String cwd, String path) {
        return ContainerFiles.normalize(path.startsWith("/") ? path : cwd + "/" + path);
    }
}
