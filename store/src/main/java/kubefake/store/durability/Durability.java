package kubefake.store.durability;

import java.util.Locale;

/** How the store keeps what it is told ({@code up --durability}). */
public enum Durability {
    /** Every write is in the write-ahead log and fsynced before it is acknowledged or seen (the default). */
    FSYNC,
    /** No log at all: the state lives only in memory and is gone when the process ends (throwaway CI clusters). */
    NONE;

    /** The flag's spelling: fsync or none. */
    public static Durability parse(String text) {
        for (Durability d : values()) {
            if (d.name().toLowerCase(Locale.ROOT).equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("must be fsync or none: " + text);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
