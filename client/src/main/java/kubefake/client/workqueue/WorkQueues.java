package kubefake.client.workqueue;

import kubefake.client.runtime.ClusterRuntime;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * The work queues made on each cluster runtime, so that the cluster's metrics can show their depth (client-go's
 * workqueue metrics provider, to which every queue reports, plays this part for a real controller manager). Holds
 * neither the runtimes nor the queues alive.
 */
public final class WorkQueues {
    private static final Map<ClusterRuntime, List<WeakReference<WorkQueue<?>>>> BY_RUNTIME = new WeakHashMap<>();

    private WorkQueues() {
    }

    static synchronized void register(ClusterRuntime runtime, WorkQueue<?> queue) {
        List<WeakReference<WorkQueue<?>>> queues = BY_RUNTIME.computeIfAbsent(runtime, r -> new ArrayList<>());
        queues.removeIf(q -> q.get() == null);
        queues.add(new WeakReference<>(queue));
    }

    /** Each queue name's keys waiting to be processed now (queues of the same name added up), by name. */
    public static Map<String, Integer> depths(ClusterRuntime runtime) {
        List<WorkQueue<?>> queues = new ArrayList<>();
        synchronized (WorkQueues.class) {
            for (WeakReference<WorkQueue<?>> ref : BY_RUNTIME.getOrDefault(runtime, List.of())) {
                WorkQueue<?> q = ref.get();
                if (q != null) queues.add(q);
            }
        }
        Map<String, Integer> depths = new TreeMap<>();
        for (WorkQueue<?> q : queues) depths.merge(q.name(), q.len(), Integer::sum);
        return depths;
    }
}
