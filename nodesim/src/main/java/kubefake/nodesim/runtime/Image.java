package kubefake.nodesim.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image as the catalogue resolves a reference: whether it can be pulled (and the registry's error when not), its
 * size and digest, and what its containers do.
 *
 * @param pullError      the error a pull fails with, or "" when the image exists
 * @param argsAreCommand whether a container's {@code args} alone replace the command (images without an entrypoint,
 *                       or with one that runs its arguments) rather than being flags of the image's program
 * @param run            the program's behaviour when the container gives no command
 * @param programs       the image's programs by name, for commands that start them
 * @param shell          whether the image has a shell and the usual utilities ({@code sh}, {@code sleep}, {@code echo})
 * @param bash           whether that shell includes {@code /bin/bash} (Debian's images) or only {@code sh} (busybox, alpine)
 */
public record Image(ImageReference reference, String pullError, long size, String digest, boolean shell,
                    boolean argsAreCommand, Behaviour run, Map<String, Behaviour> programs, boolean bash) {

    public boolean exists() {
        return pullError.isEmpty();
    }

    /** {@code docker.io/library/nginx@sha256:...}: the imageID of the image's containers. */
    public String imageId() {
        return reference.withDigest(digest);
    }

    /** The names containerd reports for the image on a node: by digest, then by tag. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(imageId());
        if (!reference.tag().isEmpty()) names.add(reference.normalized());
        return names;
    }

    /**
     * What a container of this image does, given the pod's {@code command} and {@code args}: the image's own program
     * when neither replaces it, else the command line run with the image's programs and (for images with a shell) the
     * shell's utilities. A command the image does not know runs until stopped (documented in the catalogue).
     */
    public Timeline start(List<String> command, List<String> args, String hostname) {
        return start(command, args, hostname, false);
    }

    /**
     * As {@link #start(List, List, String)}, for a container whose stdin is kept open ({@code stdin: true}): a shell
     * given no script then reads its commands from it and runs until they end it (through an attach).
     */
    public Timeline start(List<String> command, List<String> args, String hostname, boolean stdin) {
        List<String> argv = argv(command, args);
        if (argv.isEmpty()) return run.timeline();
        if (stdin && readsStdin(argv)) return Behaviour.FOREVER.timeline();
        String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        if (!programs.containsKey(program) && !shell) return Behaviour.FOREVER.timeline();
        return new Shell(programs, hostname).run(argv);
    }

    /** The command line a container of this image runs (empty: the image's own program). */
    public List<String> argv(List<String> command, List<String> args) {
        List<String> argv = new ArrayList<>();
        if (command != null && !command.isEmpty()) {
            argv.addAll(command);
            if (args != null) argv.addAll(args);
        } else if (args != null && !args.isEmpty() && argsAreCommand) {
            argv.addAll(args);
        }
        return argv;
    }

    /** Whether the command line is this image's shell with no script: it reads its commands from stdin. */
    public boolean readsStdin(List<String> argv) {
        if (!shell || argv.isEmpty()) return false;
        String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        boolean isShell = program.equals("sh") || program.equals("ash") || (bash && program.equals("bash"));
        return isShell && !argv.contains("-c");
    }
}
