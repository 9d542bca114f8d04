package kubefake.nodesim.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import kubefake.nodesim.Durations;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a program of an image does once started, as the catalogue describes it: the lines it writes, the ports it
 * serves, whether and when it exits, and how it takes SIGTERM.
 *
 * @param stdout  lines written at start; a line {@code {{pi N}}} is π to N significant digits, computed (the perl
 *                image's {@code print bpi(N)})
 * @param stderr  lines written at start
 * @param serve   ports it listens on (TCP; probes of other ports fail)
 * @param exit    the code it exits with, or null when it runs until stopped
 * @param after   when it exits (with {@code exit})
 * @param answers what it answers on HTTP: {@code static} (a page), {@code hostname} (its pod's name); for the
 *                next issue's port-forward and curl
 * @param onTerm  what SIGTERM does to it
 * @param processes the command lines {@code ps} shows for it: PID 1's, then its children's (none: its command line)
 */
public record Behaviour(List<String> stdout, List<String> stderr, List<Integer> serve, Integer exit, Duration after,
                        String answers, Termination onTerm, List<String> processes) {
    public static final Behaviour FOREVER = new Behaviour(List.of(), List.of(), List.of(), null, Duration.ZERO, "",
            Termination.IGNORE, List.of());

    public Behaviour {
        stdout = stdout == null ? List.of() : List.copyOf(stdout);
        stderr = stderr == null ? List.of() : List.copyOf(stderr);
        serve = serve == null ? List.of() : List.copyOf(serve);
        after = after == null ? Duration.ZERO : after;
        answers = answers == null ? "" : answers;
        onTerm = onTerm == null ? Termination.IGNORE : onTerm;
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    /** Jackson's view of the YAML: durations as Go writes them. */
    @JsonCreator
    static Behaviour fromYaml(@JsonProperty("stdout") List<String> stdout, @JsonProperty("stderr") List<String> stderr,
                              @JsonProperty("serve") List<Integer> serve, @JsonProperty("exit") Integer exit,
                              @JsonProperty("after") String after, @JsonProperty("answers") String answers,
                              @JsonProperty("onTerm") Termination onTerm, @JsonProperty("processes") List<String> processes) {
        return new Behaviour(stdout, stderr, serve, exit, after == null ? null : Durations.parse(after), answers, onTerm,
                processes);
    }

    /**
     * Each behaviour's plan, made once: a plan is immutable, and every container of an image runs the same one (an
     * nginx's 16 lines of output were kept per container). Weak keys: a behaviour no image has any more goes.
     */
    private static final Map<Behaviour, Timeline> TIMELINES = Collections.synchronizedMap(new WeakHashMap<>());

    /** The behaviour as a process plan (what a container running it does over time). */
    public Timeline timeline() {
        Timeline known = TIMELINES.get(this);
        if (known != null) return known;
        Timeline planned = plan();
        TIMELINES.put(this, planned);
        return planned;
    }

    private Timeline plan() {
        Timeline.Builder b = new Timeline.Builder();
        stdout.forEach(line -> b.print(Timeline.Stream.STDOUT, computed(line)));
        stderr.forEach(line -> b.print(Timeline.Stream.STDERR, computed(line)));
        if (!serve.isEmpty() || !answers.isEmpty()) b.serve(serve, answers);
        if (exit == null) return b.forever(onTerm);
        b.sleep(after);
        return b.exit(exit, onTerm);
    }

    private static final java.util.regex.Pattern PI = java.util.regex.Pattern.compile("\\{\\{pi ([1-9][0-9]{0,4})}}");

    /** A line as written: {@code {{pi N}}} computed, any other as it is. */
    private static String computed(String line) {
        java.util.regex.Matcher m = PI.matcher(line);
        return m.matches() ? PiDigits.of(Integer.parseInt(m.group(1))) : line;
    }

    /**
     * How a process takes SIGTERM: it exits with {@code exitCode} after {@code after}, or ({@code ignore}) keeps
     * running until the kubelet kills it at the end of the grace period (exit code 137), as a shell or {@code sleep}
     * running as PID 1 does.
     */
    public record Termination(boolean ignore, int exitCode, Duration after) {
        public static final Termination IGNORE = new Termination(true, 137, Duration.ZERO);

        @JsonCreator
        static Termination fromYaml(@JsonProperty("ignore") Boolean ignore, @JsonProperty("exitCode") Integer exitCode,
                                    @JsonProperty("after") String after) {
            if (ignore != null && ignore) return IGNORE;
            return new Termination(false, exitCode == null ? 0 : exitCode, after == null ? Duration.ZERO : Durations.parse(after));
        }
    }
}
