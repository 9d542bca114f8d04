package kubefake.server.cluster;

import kubefake.client.Client;
import kubefake.client.informers.SharedInformers;
import kubefake.client.leaderelection.LeaderElector;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.store.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A part of the control plane that runs in one process of the cluster at a time, as kube-controller-manager and
 * kube-scheduler do beside several API servers: while this process holds the part's Lease in kube-system it runs a
 * term of it, started on informers of the term's own and closed with them when the Lease is lost or released. A new
 * term lists the cluster afresh, as a controller manager that takes over does.
 *
 * @param <T> what a term runs (closed at its end)
 */
public final class LeaderElected<T extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElected.class);

    private final Registry registry;
    private final ClusterRuntime runtime;
    private final Function<SharedInformers, T> term;
    private final ExecutorService lane;
    private final LeaderElector elector;
    private volatile Term<T> current;

    private record Term<T>(SharedInformers informers, T components) {
    }

    /**
     * @param client the client the election reads and writes the Lease with (the component's own identity)
     * @param term   starts a term's components on the informers it is given, and starts those informers
     */
    public LeaderElected(Registry registry, ClusterRuntime runtime, Client client, LeaderElector.Config config,
                         Function<SharedInformers, T> term) {
        this.registry = registry;
        this.runtime = runtime;
        this.term = term;
        this.lane = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "leader-election-" + config.name());
            t.setDaemon(true);
            return t;
        });
        this.elector = new LeaderElector(client, runtime.clock(), lane, config, new LeaderElector.Callbacks() {
            @Override
            public void onStartedLeading() {
                startTerm();
            }

            @Override
            public void onStoppedLeading() {
                stopTerm();
            }
        });
    }

    /**
     * A holderIdentity as kube-controller-manager and kube-scheduler make theirs: the host's name, "_", and a UUID
     * that tells this process from another one on the same host.
     */
    public static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "_" + UUID.randomUUID();
    }

    /** Tries for the Lease once now (a term starts before this returns when it is free), then keeps trying. */
    public LeaderElected<T> start() {
        elector.start();
        return this;
    }

    /** The components of the running term, empty while another process holds the Lease. */
    public Optional<T> components() {
        Term<T> t = current;
        return t == null ? Optional.empty() : Optional.of(t.components());
    }

    /** The informers of the running term, empty while another process holds the Lease. */
    public Optional<SharedInformers> informers() {
        Term<T> t = current;
        return t == null ? Optional.empty() : Optional.of(t.informers());
    }

    public LeaderElector elector() {
        return elector;
    }

    private void startTerm() {
        SharedInformers informers = new SharedInformers(registry, runtime);
        try {
            current = new Term<>(informers, term.apply(informers));
        } catch (RuntimeException e) {
            informers.close();
            throw e;
        }
    }

    private void stopTerm() {
        Term<T> t = current;
        current = null;
        if (t == null) return;
        try {
            t.components().close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", t.components(), e);
        }
        t.informers().close();
    }

    /** Ends the term and releases the Lease, so that another process takes over at its next try. */
    @Override
    public void close() {
        elector.close();
        shutDownLane();
    }

    /** Ends the term and leaves the Lease as it is, as a killed process does: another takes over once it expires. */
    public void abandon() {
        elector.abandon();
        shutDownLane();
    }

    private void shutDownLane() {
        lane.shutdownNow();
        try {
            lane.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
