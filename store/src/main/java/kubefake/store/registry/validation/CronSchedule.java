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
 * hour, day of month, month, day of week, names allowed, {@code ?} as {@code *}) or a descriptor ({@code @hourly},
 * {@code @daily}...). The fields are parsed and stepped by cron-utils' UNIX definition, which has the same meaning
 * (a restricted day of month and day of week match either).
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private final ExecutionTime execution;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime execution, ZoneId zone) {
        this.execution = execution;
        this.zone = zone;
    }

    /**
     * The schedule in the given zone.
     *
     * @throws IllegalArgumentException with robfig's message where it says one, when the schedule does not parse
     */
    public static CronSchedule parse(String schedule, ZoneId zone) {
        return new CronSchedule(ExecutionTime.forCron(cron(schedule)), zone);
    }

    /** Why a schedule does not parse, or null when it does. */
    public static String problem(String schedule) {
        try {
            cron(schedule);
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
        return execution.nextExecution(ZonedDateTime.ofInstant(t, zone)).map(ZonedDateTime::toInstant);
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
