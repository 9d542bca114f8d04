package kubefake.store.registry.validation;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob's schedule as Kubernetes reads it ({@code cron.ParseStandard} of robfig/cron v3): five fields (minute,
 * hour, day of month, month, day of week, names allowed, {@code ?} as {@code *}), a descriptor ({@code @hourly},
 * {@code @daily}...) or {@code @every <duration>}. The fields are parsed and stepped by cron-utils' UNIX definition, which has the same meaning
 * (a restricted day of month and day of week match either).
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private static final java.util.regex.Pattern GO_DURATION_PART =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private final ExecutionTime execution;
    private final ZoneId zone;
    /** For {@code @every <duration>}: the constant delay (whole seconds, at least one), else null. */
    private final java.time.Duration every;

    private CronSchedule(ExecutionTime execution, ZoneId zone, java.time.Duration every) {
        this.execution = execution;
        this.zone = zone;
        this.every = every;
    }

    /**
     * The schedule in the given zone.
     *
     * @throws IllegalArgumentException with robfig's message where it says one, when the schedule does not parse
     */
    public static CronSchedule parse(String schedule, ZoneId zone) {
        java.time.Duration every = every(schedule);
        if (every != null) return new CronSchedule(null, zone, every);
        return new CronSchedule(ExecutionTime.forCron(cron(schedule)), zone, null);
    }

    /** Why a schedule does not parse, or null when it does. */
    public static String problem(String schedule) {
        try {
            if (every(schedule) == null) cron(schedule);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The zone a {@code spec.timeZone} names, or null when the time zone database does not know it. */
    public static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The first scheduled instant strictly after {@code t}. */
    public Optional<Instant> next(Instant t) {
        if (every != null) return Optional.of(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(every));
        return execution.nextExecution(ZonedDateTime.ofInstant(t, zone)).map(ZonedDateTime::toInstant);
    }

    /**
     * {@code @every <Go duration>} as robfig's ConstantDelaySchedule: the delay rounded down to whole seconds, at least
     * one; null for any other schedule.
     */
    private static java.time.Duration every(String schedule) {
        String s = schedule.trim();
        if (!s.startsWith("@every ")) return null;
        String text = s.substring("@every ".length());
        java.util.regex.Matcher m = GO_DURATION_PART.matcher(text);
        java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            nanos = nanos.add(new java.math.BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(java.math.BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
            at = m.end();
        }
        if (at == 0 || at != text.length()) {
            throw new IllegalArgumentException("failed to parse duration " + s + ": time: invalid duration \"" + text + "\"");
        }
        long seconds = nanos.divide(java.math.BigDecimal.valueOf(1_000_000_000L), 0, java.math.RoundingMode.DOWN).longValue();
        return java.time.Duration.ofSeconds(Math.max(1, seconds));
    }

    private static Cron cron(String schedule) {
        String s = schedule.trim();
        if (s.startsWith("@")) {
            String fields = DESCRIPTORS.get(s.toLowerCase(Locale.ROOT));
            if (fields == null) throw new IllegalArgumentException("unrecognized descriptor: " + s);
            s = fields;
        }
        String[] fields = s.isEmpty() ? new String[0] : s.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.length + ": "
                    + Arrays.toString(fields).replace(",", ""));
        }
        try {
            Cron cron = PARSER.parse(String.join(" ", fields).replace('?', '*'));
            cron.validate();
            return cron;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() == null ? "invalid schedule" : e.getMessage(), e);
        }
    }
}
