package kubefake.store.registry;

import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.defaulting.Defaulter;

import java.time.Clock;

/** For tests of one kind's rules without a store: the rules its strategy in the built-in catalogue declares. */
public final class Kinds {
    private static final Registry REGISTRY = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());

    private Kinds() {
    }

    /** The rules of a served kind ({@code group} empty for core). */
    public static KindRules rules(String group, String kind) {
        for (ResourceStore rs : REGISTRY.resources()) {
            if (rs.type().group().equals(group) && rs.type().kind().equals(kind)) return rs.strategy().rules();
        }
        throw new IllegalArgumentException("not served: " + group + "/" + kind);
    }

    /** A kind's defaulter, also for the batch kinds that are defaulted but not served yet. */
    public static Defaulter defaulter(String group, String kind) {
        if (group.equals("batch")) return kind.equals("Job") ? Defaulter.JOB : Defaulter.CRON_JOB;
        return rules(group, kind).defaulter();
    }
}
