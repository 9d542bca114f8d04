package kubefake.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;

/**
 * Where a start's time goes: each phase's end, in milliseconds since the JVM started, with the process's CPU time
 * so far (every thread's, the JIT compilers' included) and the calling thread's, logged at debug on the logger {@code kubefake.startup}
 * ({@code -Dorg.slf4j.simpleLogger.log.kubefake.startup=debug}). Costs nothing when that logger is off.
 * docs/benchmarks/startup.md reads these.
 */
public final class StartupPhases {
    private static final Logger LOG = LoggerFactory.getLogger("kubefake.startup");

    private StartupPhases() {
    }

    /** Logs that {@code phase} has just ended, on the calling thread. */
    public static void done(String phase) {
        if (!LOG.isDebugEnabled()) return;
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpuMillis = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
        long threadCpuMillis = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
        LOG.debug("{} ms (cpu {} ms, this thread {} ms) [{}] {}", uptime, cpuMillis, threadCpuMillis,
                Thread.currentThread().getName(), phase);
    }
}
