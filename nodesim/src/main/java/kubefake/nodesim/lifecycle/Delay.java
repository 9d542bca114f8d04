package kubefake.nodesim.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import kubefake.nodesim.Durations;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a stage waits before it moves on: {@code duration}, plus a random part up to {@code jitter}, plus
 * {@code perMiB} for every MiB of the container's image (a pull), or ({@code from: backOff}) whatever is left of
 * the container's back-off.
 */
public record Delay(Duration duration, Duration jitter, Duration perMiB, From from) {
    public static final Delay NONE = new Delay(Duration.ZERO, Duration.ZERO, Duration.ZERO, From.none);

    public enum From { none, backOff }

    @JsonCreator
    static Delay fromYaml(@JsonProperty("duration") String duration, @JsonProperty("jitter") String jitter,
                          @JsonProperty("perMiB") String perMiB, @JsonProperty("from") From from) {
        return new Delay(parse(duration), parse(jitter), parse(perMiB), from == null ? From.none : from);
    }

    private static Duration parse(String s) {
        return s == null ? Duration.ZERO : Durations.parse(s);
    }

    /**
     * The delay for one container: {@code imageBytes} is its image's size, {@code backOffLeft} what remains of its
     * back-off.
     */
    public Duration of(RandomGenerator random, long imageBytes, Duration backOffLeft) {
        Duration d = duration;
        if (!jitter.isZero()) d = d.plusNanos((long) (random.nextDouble() * jitter.toNanos()));
        if (!perMiB.isZero() && imageBytes > 0) d = d.plusNanos((long) (perMiB.toNanos() * (imageBytes / 1048576.0)));
        if (from == From.backOff) d = d.plus(backOffLeft);
        return d;
    }
}
