package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.validation.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An amount of compute resources as the scheduler adds them up ({@code framework.Resource}): CPU in millicores,
 * memory and ephemeral storage in bytes, every other resource (extended resources such as {@code nvidia.com/gpu},
 * {@code hugepages-2Mi}) by name in its own unit. Quantities round up, as Go's {@code MilliValue} and {@code Value}
 * do. Mutable: used as an accumulator.
 */
public final class Resources {
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    private long milliCpu;
    private long memory;
    private long ephemeralStorage;
    /** Null until one is added: most pods and nodes have none, and the scheduler keeps two of these per pod. */
    private Map<String, Long> scalars;

    public Resources() {
    }

    public Resources(long milliCpu, long memory) {
        this.milliCpu = milliCpu;
        this.memory = memory;
    }

    /** A ResourceList JSON object ({@code requests}, {@code allocatable}); the {@code pods} count is not a resource here. */
    public static Resources fromList(JsonNode list) {
        Resources r = new Resources();
        if (list == null || !list.isObject()) return r;
        list.properties().forEach(e -> r.add(e.getKey(), e.getValue()));
        return r;
    }

    private void add(String name, JsonNode quantity) {
        BigDecimal v = parse(quantity);
        if (v == null) return;
        switch (name) {
            case CPU -> milliCpu += ceil(v.scaleByPowerOfTen(3));
            case MEMORY -> memory += ceil(v);
            case EPHEMERAL_STORAGE -> ephemeralStorage += ceil(v);
            case PODS -> { }
            default -> {
                if (isScalar(name)) writableScalars().merge(name, ceil(v), Long::sum);
            }
        }
    }

    /** A quantity's value, or null when it is missing or malformed (validation refused those on create). */
    static BigDecimal parse(JsonNode quantity) {
        if (quantity == null || quantity.isNull()) return null;
        try {
            return Quantity.parse(quantity.asText()).value();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static long ceil(BigDecimal v) {
        return v.setScale(0, RoundingMode.CEILING).longValue();
    }

    /** Resources the scheduler accounts by name ({@code IsScalarResourceName}): extended, hugepages, prefixed native. */
    static boolean isScalar(String name) {
        return name.contains("/") || name.startsWith("hugepages-");
    }

    public long milliCpu() {
        return milliCpu;
    }

    public long memory() {
        return memory;
    }

    public long ephemeralStorage() {
        return ephemeralStorage;
    }

    /** Extended and hugepages resources by name. */
    public Map<String, Long> scalars() {
        return scalars == null ? Map.of() : Collections.unmodifiableMap(scalars);
    }

    private Map<String, Long> writableScalars() {
        if (scalars == null) scalars = new TreeMap<>();
        return scalars;
    }

    public long scalar(String name) {
        return scalars == null ? 0L : scalars.getOrDefault(name, 0L);
    }

    public boolean isZero() {
        return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && (scalars == null || scalars.values().stream().allMatch(v -> v == 0));
    }

    public Resources copy() {
        Resources r = new Resources(milliCpu, memory);
        r.ephemeralStorage = ephemeralStorage;
        if (scalars != null) r.writableScalars().putAll(scalars);
        return r;
    }

    /** Adds {@code other} to this. */
    public Resources add(Resources other) {
        milliCpu += other.milliCpu;
        memory += other.memory;
        ephemeralStorage += other.ephemeralStorage;
        if (other.scalars != null) other.scalars.forEach((k, v) -> writableScalars().merge(k, v, Long::sum));
        return this;
    }

    /** Takes {@code other} from this. */
    public Resources subtract(Resources other) {
        milliCpu -= other.milliCpu;
        memory -= other.memory;
        ephemeralStorage -= other.ephemeralStorage;
        if (other.scalars != null) other.scalars.forEach((k, v) -> writableScalars().merge(k, -v, Long::sum));
        return this;
    }

    /** Raises each resource of this to {@code other}'s where that is larger. */
    public Resources max(Resources other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        if (other.scalars != null) other.scalars.forEach((k, v) -> writableScalars().merge(k, v, Math::max));
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resources r && r.milliCpu == milliCpu && r.memory == memory
                && r.ephemeralStorage == ephemeralStorage && r.scalars().equals(scalars());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(milliCpu) * 31 + Long.hashCode(memory);
    }

    @Override
    public String toString() {
        return "Resources[cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral-storage=" + ephemeralStorage
                + (scalars == null || scalars.isEmpty() ? "" : ", " + scalars) + "]";
    }
}
