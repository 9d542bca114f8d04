package kubefake.nodesim.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import kubefake.nodesim.Durations;

import java.time.Duration;
import java.util.List;

/**
 * One transition of the lifecycle (after kwok's Stages): for a pod or container at step {@code from} whose facts the
 * selector accepts, wait {@code delay}, then record {@code events} and move to {@code next}. While the container stays
 * in {@code next}, the events are recorded again every {@code repeatEvery} (the real kubelet repeats its back-off
 * events on every sync). The first stage, in file order, whose step and selector match is the one taken.
 */
public record Stage(String name, Step from, Selector selector, Delay delay, Step next, List<StageEvent> events,
                    Duration repeatEvery) {
    @JsonCreator
    static Stage fromYaml(@JsonProperty(value = "name", required = true) String name,
                          @JsonProperty(value = "from", required = true) Step from,
                          @JsonProperty("selector") Selector selector,
                          @JsonProperty("delay") Delay delay,
                          @JsonProperty(value = "next", required = true) Step next,
                          @JsonProperty("events") List<StageEvent> events,
                          @JsonProperty("repeatEvery") String repeatEvery) {
        if (from.scope() != next.scope()) {
            throw new IllegalArgumentException("stage " + name + ": " + from + " is a " + from.scope() + " step, " + next + " a " + next.scope() + " step");
        }
        Duration repeat = repeatEvery == null ? Duration.ZERO : Durations.parse(repeatEvery);
        if (repeat.isNegative()) throw new IllegalArgumentException("stage " + name + ": repeatEvery must not be negative");
        return new Stage(name, from, selector == null ? Selector.EVERYTHING : selector, delay == null ? Delay.NONE : delay,
                next, events == null ? List.of() : List.copyOf(events), repeat);
    }
}
