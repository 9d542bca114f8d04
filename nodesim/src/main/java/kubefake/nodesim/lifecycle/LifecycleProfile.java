package kubefake.nodesim.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import kubefake.nodesim.Durations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How the simulated kubelets move pods along (YAML, after kwok's Stages): the stages with their delays and events,
 * the back-off of failing pulls and crashing containers, and which pods a fresh cluster finds already running.
 * Shipped: {@code lab} (a real cluster's pace: a pull takes seconds) and {@code fast} (milliseconds, for CI);
 * {@code kubefake up --profile FILE} runs a user's.
 */
public record LifecycleProfile(String name, List<Stage> stages, BackOff crashLoopBackOff, BackOff imagePullBackOff,
                               FoundRunning foundRunning) {
    public static final List<String> SHIPPED = List.of("lab", "fast");

    /** A back-off: the first wait, doubled on each failure up to {@code max}; forgotten after 2 × max without failure. */
    public record BackOff(Duration initial, Duration max) {
        @JsonCreator
        static BackOff fromYaml(@JsonProperty(value = "initial", required = true) String initial,
                                @JsonProperty(value = "max", required = true) String max) {
            Duration i = Durations.parse(initial);
            Duration m = Durations.parse(max);
            if (i.isZero() || m.compareTo(i) < 0) throw new IllegalArgumentException("back-off: initial must be positive and at most max");
            return new BackOff(i, m);
        }
    }

    /**
     * The pods a fresh cluster finds running (those of {@code namespaces} the kubelet sees within {@code within} of its
     * first start): a cluster that has been up a while, not one booting. Their stages take no time and their probes
     * pass at once.
     */
    public record FoundRunning(Set<String> namespaces, Duration within) {
        public static final FoundRunning NONE = new FoundRunning(Set.of(), Duration.ZERO);

        @JsonCreator
        static FoundRunning fromYaml(@JsonProperty("namespaces") List<String> namespaces, @JsonProperty("within") String within) {
            return new FoundRunning(namespaces == null ? Set.of() : Set.copyOf(namespaces),
                    within == null ? Duration.ZERO : Durations.parse(within));
        }
    }

    record Metadata(String name) {
        @JsonCreator
        static Metadata fromYaml(@JsonProperty(value = "name", required = true) String name) {
            return new Metadata(name);
        }
    }

    record Spec(List<Stage> stages, BackOff crashLoopBackOff, BackOff imagePullBackOff, FoundRunning foundRunning) {
        @JsonCreator
        static Spec fromYaml(@JsonProperty(value = "stages", required = true) List<Stage> stages,
                             @JsonProperty(value = "crashLoopBackOff", required = true) BackOff crashLoopBackOff,
                             @JsonProperty(value = "imagePullBackOff", required = true) BackOff imagePullBackOff,
                             @JsonProperty("foundRunning") FoundRunning foundRunning) {
            return new Spec(List.copyOf(stages), crashLoopBackOff, imagePullBackOff,
                    foundRunning == null ? FoundRunning.NONE : foundRunning);
        }
    }

    record File(String apiVersion, String kind, Metadata metadata, Spec spec) {
        @JsonCreator
        static File fromYaml(@JsonProperty("apiVersion") String apiVersion, @JsonProperty("kind") String kind,
                             @JsonProperty(value = "metadata", required = true) Metadata metadata,
                             @JsonProperty(value = "spec", required = true) Spec spec) {
            if (kind != null && !kind.equals("LifecycleProfile")) throw new IllegalArgumentException("kind is " + kind + ", not LifecycleProfile");
            return new File(apiVersion, kind, metadata, spec);
        }
    }

    /** A shipped profile by name ({@code lab}, {@code fast}). */
    public static LifecycleProfile shipped(String name) {
        if (!SHIPPED.contains(name)) throw new IllegalArgumentException("no shipped profile named " + name + " (shipped: " + SHIPPED + ")");
        String resource = "/kubefake/nodesim/profiles/" + name + ".yaml";
        try (InputStream in = LifecycleProfile.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            return of(kubefake.nodesim.YamlFiles.read(in.readAllBytes(), File.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped profile " + name, e);
        }
    }

    /** A user's profile file. */
    public static LifecycleProfile load(Path file) throws IOException {
        return of(kubefake.nodesim.YamlFiles.load(file, File.class));
    }

    /** A shipped profile's name, or the path of a profile file. */
    public static LifecycleProfile named(String nameOrFile) throws IOException {
        return SHIPPED.contains(nameOrFile) ? shipped(nameOrFile) : load(Path.of(nameOrFile));
    }

    private static LifecycleProfile of(File f) {
        Spec s = f.spec();
        return new LifecycleProfile(f.metadata().name(), s.stages(), s.crashLoopBackOff(), s.imagePullBackOff(), s.foundRunning());
    }

    /** The first stage from {@code step} whose selector accepts the facts. */
    public Optional<Stage> stageFrom(Step step, Function<String, String> facts) {
        for (Stage s : stages) {
            if (s.from() == step && s.selector().matches(facts)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
