package kubefake.certs;

import java.nio.file.Path;

/**
 * The PKI directory cannot be used as it is: a file is unreadable, corrupt, or inconsistent with the
 * others. The message names the file; kubefake never silently replaces a CA it found on disk.
 */
public class PkiException extends RuntimeException {
    private final Path file;

    public PkiException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public PkiException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
