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
 * @param cmd            the image's CMD when the catalogue names it (busybox's {@code sh}): what a container given no
 *                       command runs when its stdin is open; empty when only {@code run} describes it
 */
public record Image(ImageReference reference, String pullError, long size, String digest, boolean shell,
                    boolean argsAreCommand, Behaviour run, Map<String, Behaviour> programs, boolean bash, List<String> cmd) {

    /** An image the catalogue names no CMD of. */
    public Image(ImageReference reference, String pullError, long size, String digest, boolean shell,
                 boolean argsAreCommand, Behaviour run, Map<String, Behaviour> programs, boolean bash) {
        this(reference, pullError, size, digest, shell, argsAreCommand, run, programs, bash, List.of());
    }

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
     * when neither replaces it or the command names one of its programs (planned, as the catalogue says), else (in an
     * image with a shell) the command line run as it goes by the shell and its utilities. A command an image without a
     * shell does not know runs until stopped (documented in the catalogue).
     */
    public Timeline start(List<String> command, List<String> args) {
        return start(command, args, false, false, false);
    }

    /**
     * As {@link #start(List, List)} for a container whose spec says {@code stdin}, {@code stdinOnce} and
     * {@code tty}: with stdin open, a program that reads it (a shell without {@code -c}, {@code cat}) waits for input.
     */
    public Timeline start(List<String> command, List<String> args, boolean stdin, boolean stdinOnce, boolean tty) {
        List<String> argv = argv(command, args);
        if (argv.isEmpty()) {
            // a shell as the image's CMD waits for an open stdin (kubectl run -it, kubectl debug -it), as one given
            // as the command does; without stdin it reads end-of-file and ends as `run` says
            if (stdin && readsStdin(cmd)) return Timeline.live(new Timeline.Live(cmd, true, tty, stdinOnce));
            return run.timeline();
        }
        String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        Behaviour own = programs.get(program);
        if (own != null) return own.timeline();
        if (!shell) return Behaviour.FOREVER.timeline();
        return Timeline.live(new Timeline.Live(argv, stdin && readsStdin(argv), tty, stdinOnce));
    }

    /**
     * Whether {@code argv} reads its stdin until it ends: an interactive shell, or {@code cat} of stdin (either run by
     * {@code timeout}).
     */
    private boolean readsStdin(List<String> argv) {
        if (argv.isEmpty() || !shell) return false;
        String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        List<String> rest = argv.subList(1, argv.size());
        return switch (program) {
            case "sh", "ash", "dash" -> rest.stream().allMatch(a -> a.startsWith("-") && !a.equals("-c"));
            case "bash" -> bash && rest.stream().allMatch(a -> a.startsWith("-") && !a.equals("-c"));
            case "cat" -> rest.isEmpty() || rest.equals(List.of("-"));
            case "timeout" -> { // BusyBox's: its PROG runs in its place
                Timeout t = Timeout.parse(rest);
                yield !bash && t.error() == null && readsStdin(t.command());
            }
            default -> false;
        };
    }

    private List<String> argv(List<String> command, List<String> args) {
        List<String> argv = new ArrayList<>();
        if (command != null && !command.isEmpty()) {
            argv.addAll(command);
            if (args != null) argv.addAll(args);
        } else if (args != null && !args.isEmpty() && argsAreCommand) {
            argv.addAll(args);
        }
        return argv;
    }
}
