package kubefake.certs;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files of a PKI directory: written atomically (a crash never leaves half a key) and with kubeadm's
 * modes, 0600 for secrets and 0644 for certificates, set at creation so a key is never readable by others.
 */
public final class PkiFiles {
    public static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private PkiFiles() {
    }

    /** Replaces {@code file} with {@code content}, the new file having exactly {@code mode} where POSIX modes exist. */
    public static void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> mode) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                    : new FileAttribute<?>[0];
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attributes);
            Files.write(temp, content);
            if (posix) {
                Files.setPosixFilePermissions(temp, mode); // the umask may have removed bits we want
            }
            moveIntoPlace(temp, file);
            temp = null;
        } catch (IOException e) {
            throw new PkiException(file, "cannot write", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the write already failed and says so
                }
            }
        }
    }

    /** The bytes of {@code file}; a clear {@link PkiException} when it cannot be read. */
    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PkiException(file, "cannot read", e);
        }
    }

    private static void moveIntoPlace(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
