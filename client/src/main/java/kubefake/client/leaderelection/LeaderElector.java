package kubefake.client.leaderelection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterClock;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's {@code leaderelection} package runs it for
 * kube-controller-manager and kube-scheduler: every retry period each candidate reads the Lease; one whose holder
 * has not renewed it for the lease duration (as this candidate observed it, on its own clock) may take it over with
 * an update conditional on the Lease's resourceVersion, so exactly one wins. The leader renews it each retry period
 * and gives up leading when it could not renew within the renew deadline, or sees another holder. Closing a leader
 * releases the Lease (holder cleared, duration 1 s), so that a clean stop hands over at once.
 *
 * <p>Time is the cluster clock's: a test moves it by hand. Ticks, and the callbacks, run on {@code lane}, one at a
 * time; the callbacks may block (they start and stop components).
 */
public final class LeaderElector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElector.class);
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * @param namespace     the Lease's namespace ({@code kube-system})
     * @param name          the Lease's name ({@code kube-controller-manager}, {@code kube-scheduler})
     * @param identity      this candidate's holderIdentity ({@code <host>_<uuid>})
     * @param leaseDuration how long a follower waits after the last renewal it saw before taking the Lease over
     * @param renewDeadline how long a leader keeps trying to renew before it gives up leading
     * @param retryPeriod   how often candidates try to acquire and the leader renews
     */
    public record Config(String namespace, String name, String identity, Duration leaseDuration, Duration renewDeadline,
                         Duration retryPeriod) {
        /** kube-controller-manager's and kube-scheduler's defaults: 15 s, 10 s, 2 s. */
        public static Config defaults(String namespace, String name, String identity) {
            return new Config(namespace, name, identity, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        }

        public Config {
            if (renewDeadline.compareTo(leaseDuration) >= 0) throw new IllegalArgumentException("renewDeadline must be less than leaseDuration");
            if (retryPeriod.compareTo(renewDeadline) >= 0) throw new IllegalArgumentException("retryPeriod must be less than renewDeadline");
        }
    }

    /** What the elected component does when this candidate starts and stops leading. */
    public interface Callbacks {
        /** This candidate holds the Lease now: start the work. */
        void onStartedLeading();

        /** This candidate no longer holds the Lease (lost or released): stop the work. */
        void onStoppedLeading();
    }

    private final ResourceClient leases;
    private final ClusterClock clock;
    private final Executor lane;
    private final Config config;
    private final Callbacks callbacks;

    // touched by ticks only, which run one at a time on the lane
    private String observedResourceVersion;
    private Instant observedTime;
    private String observedHolder = "";
    private Instant lastRenew;
    private boolean leading;
    private Cancellable next;
    private volatile boolean closed;
    private volatile String leader = "";

    public LeaderElector(Client client, ClusterClock clock, Executor lane, Config config, Callbacks callbacks) {
        this.leases = client.resource("coordination.k8s.io", "leases");
        this.clock = clock;
        this.lane = lane;
        this.config = config;
        this.callbacks = callbacks;
    }

    /** Tries to acquire the Lease once now, on the caller's thread, then every retry period on the lane. */
    public void start() {
        synchronized (this) {
            tick();
        }
    }

    /** Whether this candidate holds the Lease (as of its last try). */
    public synchronized boolean isLeader() {
        return leading;
    }

    /** The holderIdentity last seen on the Lease ("" when none). */
    public String leader() {
        return leader;
    }

    public Config config() {
        return config;
    }

    private synchronized void tick() {
        if (closed) return;
        Instant now = clock.instant();
        boolean held;
        try {
            held = tryAcquireOrRenew(now);
        } catch (RuntimeException e) {
            LOG.warn("leader election {}/{}: could not read or write the Lease: {}", config.namespace(), config.name(), e.toString());
            held = false;
        }
        if (held) {
            lastRenew = now;
            if (!leading) {
                LOG.info("{} acquired the Lease {}/{}", config.identity(), config.namespace(), config.name());
                try {
                    callbacks.onStartedLeading();
                    leading = true;
                } catch (RuntimeException e) { // tried again at the next tick, while the Lease is still ours
                    LOG.warn("{} could not start what the Lease {}/{} elects it for", config.identity(), config.namespace(),
                            config.name(), e);
                }
            }
        } else if (leading && (!observedHolder.equals(config.identity())
                || Duration.between(lastRenew, now).compareTo(config.renewDeadline()) >= 0)) {
            leading = false;
            LOG.warn("{} lost the Lease {}/{} (held by \"{}\")", config.identity(), config.namespace(), config.name(), observedHolder);
            callbacks.onStoppedLeading();
        }
        if (!closed) next = clock.schedule(config.retryPeriod(), () -> lane.execute(this::tick));
    }

    /** client-go's tryAcquireOrRenew: true when this candidate holds the Lease after the call. */
    private boolean tryAcquireOrRenew(Instant now) {
        Optional<StoredObject> found = leases.find(config.namespace(), config.name());
        if (found.isEmpty()) {
            try {
                leases.create(lease(now));
                observe(config.identity(), null, now);
                return true;
            } catch (StatusException e) {
                if (e.code() == 409) return false; // another candidate created it first
                throw e;
            }
        }
        ObjectNode existing = found.get().toNode();
        ObjectNode spec = existing.with("spec");
        String holder = spec.path("holderIdentity").asText("");
        String resourceVersion = Json.text(Json.metadata(existing), "resourceVersion");
        if (!resourceVersion.equals(observedResourceVersion)) observe(holder, resourceVersion, now);
        boolean mine = holder.equals(config.identity());
        if (!holder.isEmpty() && !mine && now.isBefore(observedTime.plusSeconds(leaseDurationSeconds(spec)))) {
            return false; // someone else holds an unexpired Lease
        }
        String renewTime = MICRO_TIME.format(now);
        if (!mine) {
            spec.put("holderIdentity", config.identity());
            spec.put("acquireTime", renewTime);
            spec.put("leaseTransitions", spec.path("leaseTransitions").asInt(0) + 1);
        }
        spec.put("leaseDurationSeconds", config.leaseDuration().toSeconds());
        spec.put("renewTime", renewTime);
        try {
            StoredObject updated = leases.update(existing); // conditional on the resourceVersion read
            observe(config.identity(), String.valueOf(updated.resourceVersion()), now);
            return true;
        } catch (StatusException e) {
            if (e.code() == 409) return false; // another candidate wrote it in between
            throw e;
        }
    }

    private static long leaseDurationSeconds(JsonNode spec) {
        return spec.path("leaseDurationSeconds").asLong(0);
    }

    private void observe(String holder, String resourceVersion, Instant now) {
        observedHolder = holder;
        observedResourceVersion = resourceVersion;
        observedTime = now;
        leader = holder;
    }

    private ObjectNode lease(Instant now) {
        ObjectNode lease = Json.MAPPER.createObjectNode().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        lease.putObject("metadata").put("name", config.name()).put("namespace", config.namespace());
        String time = MICRO_TIME.format(now);
        lease.putObject("spec").put("holderIdentity", config.identity())
                .put("leaseDurationSeconds", config.leaseDuration().toSeconds())
                .put("acquireTime", time).put("renewTime", time).put("leaseTransitions", 0);
        return lease;
    }

    /**
     * Stops trying and stops leading, leaving the Lease as it is, as a killed process does: another candidate takes it
     * over once it expired.
     */
    public synchronized void abandon() {
        if (closed) return;
        closed = true;
        if (next != null) next.cancel();
        if (leading) {
            leading = false;
            callbacks.onStoppedLeading();
        }
    }

    /**
     * Stops trying; a leader stops leading (its callback runs) and releases the Lease as client-go's
     * {@code ReleaseOnCancel} does: holder cleared, duration 1 s, so another candidate takes it at its next try.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (next != null) next.cancel();
        if (!leading) return;
        leading = false;
        callbacks.onStoppedLeading();
        try {
            leases.patch(config.namespace(), config.name(), lease -> {
                ObjectNode spec = lease.with("spec");
                if (!spec.path("holderIdentity").asText("").equals(config.identity())) return lease;
                String time = MICRO_TIME.format(clock.instant());
                spec.put("holderIdentity", "").put("leaseDurationSeconds", 1).put("acquireTime", time).put("renewTime", time);
                return lease;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not release the Lease {}/{}: {}", config.namespace(), config.name(), e.toString());
        }
    }
}
