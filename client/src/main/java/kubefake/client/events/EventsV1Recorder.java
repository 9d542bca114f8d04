package kubefake.client.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.runtime.SerialExecutor;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Records events.k8s.io/v1 Events as client-go's {@code tools/events} recorder does for kube-scheduler:
 * {@code reportingController} ({@code default-scheduler}), {@code reportingInstance}, {@code action} (e.g.
 * {@code Binding}), {@code note}, {@code eventTime} in microseconds, {@code regarding} and {@code related}.
 *
 * <p>Repeats make a series: the second occurrence of the same (type, action, reason, reporting controller and
 * instance, regarding, related) sets {@code series: {count: 2, lastObservedTime}} on the first event; later ones
 * only count in memory, written every 30 minutes and when the series ends (6 minutes without a repeat). Events
 * that did not repeat are forgotten after 6 minutes. All of it runs on the cluster clock and executor.
 */
public final class EventsV1Recorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventsV1Recorder.class);
    static final Duration FINISH_TIME = Duration.ofMinutes(6);
    static final Duration REFRESH_TIME = Duration.ofMinutes(30);

    private record Key(String type, String action, String reason, String reportingController, String reportingInstance,
                       ObjectReference regarding, ObjectReference related) {
    }

    /**
     * An event as sent, and its series once it repeats. Its JSON is not kept (a tree of some 60 objects per event, for
     * 6 minutes): the key and the note are all it was made of, so it is built again for the rare create that needs it.
     */
    private static final class V1Event {
        String name; // as stored: moves on when the first choice was taken
        final String namespace;
        final Instant eventTime;
        final String note;
        int seriesCount;
        Instant lastObserved;

        V1Event(String name, String namespace, Instant eventTime, String note) {
            this.name = name;
            this.namespace = namespace;
            this.eventTime = eventTime;
            this.note = note;
        }

        boolean isSeries() {
            return seriesCount > 0;
        }

        ObjectNode seriesJson() {
            ObjectNode s = Json.MAPPER.createObjectNode();
            s.put("count", seriesCount).put("lastObservedTime", EventTimes.microTime(lastObserved));
            return s;
        }

        /** The event as created, under its current name. */
        ObjectNode json(Key key) {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("kind", "Event").put("apiVersion", "events.k8s.io/v1");
            json.putObject("metadata").put("name", name).put("namespace", namespace);
            json.put("eventTime", EventTimes.microTime(eventTime));
            json.put("reportingController", key.reportingController()).put("reportingInstance", key.reportingInstance());
            if (!key.action().isEmpty()) json.put("action", key.action());
            json.put("reason", key.reason());
            json.set("regarding", key.regarding().toJson());
            if (key.related() != null) json.set("related", key.related().toJson());
            json.put("note", note).put("type", key.type());
            // what Go's encoder sends for the zero values of these non-pointer fields
            json.putObject("deprecatedSource");
            json.putNull("deprecatedFirstTimestamp").putNull("deprecatedLastTimestamp");
            return json;
        }
    }

    private final ClusterRuntime runtime;
    private final String reportingController;
    private final String reportingInstance;
    private final EventSink sink;
    private final SerialExecutor lane;
    private final Map<Key, V1Event> cache = new HashMap<>(); // lane-confined
    private final Cancellable finisher;
    private final Cancellable refresher;

    /**
     * @param reportingController e.g. {@code default-scheduler}
     * @param reportingInstance   e.g. {@code default-scheduler-m-k8s} (the controller and its host, as client-go names it)
     */
    public EventsV1Recorder(Client client, ClusterRuntime runtime, String reportingController, String reportingInstance) {
        this.runtime = runtime;
        this.reportingController = Objects.requireNonNull(reportingController);
        this.reportingInstance = Objects.requireNonNull(reportingInstance);
        this.sink = new EventSink(client, "events.k8s.io");
        this.lane = new SerialExecutor(runtime);
        this.finisher = runtime.every(FINISH_TIME, () -> lane.execute(this::finishSeries));
        this.refresher = runtime.every(REFRESH_TIME, () -> lane.execute(this::refreshSeries));
    }

    /**
     * Records an event about {@code regarding}; {@code related} may be null.
     *
     * @param note formatted with {@link String#format}
     */
    public void eventf(ObjectReference regarding, ObjectReference related, String type, String reason, String action,
                       String note, Object... args) {
        if (!EventRecorder.NORMAL.equals(type) && !EventRecorder.WARNING.equals(type)) {
            LOG.error("unsupported event type {} (reason {}): not recorded", type, reason);
            return;
        }
        Instant now = runtime.clock().instant();
        String message = args.length == 0 ? note : String.format(note, args);
        String namespace = regarding.namespace().isEmpty() ? "default" : regarding.namespace();
        String name = EventTimes.eventName(regarding.name(), now);
        V1Event event = new V1Event(name, namespace, now, message);
        Key key = new Key(type, action, reason, reportingController, reportingInstance, regarding, related);
        lane.execute(() -> record(key, event));
    }

    private void record(Key key, V1Event event) {
        V1Event first = cache.get(key);
        if (first == null) {
            cache.put(key, event);
            ObjectNode json = event.json(key);
            // the name it was created with, from what was sent (the sink moves a taken name on in it): parsing the
            // answer back, an events.k8s.io view of a stored core/v1 Event, cost a parse per event
            if (sink.create(json) != null) event.name = Json.text(json.path("metadata"), "name");
            return;
        }
        Instant now = runtime.clock().instant();
        if (first.isSeries()) {
            first.seriesCount++;
            first.lastObserved = now;
            return; // counted; written by the refresh or when the series ends
        }
        first.seriesCount = 2;
        first.lastObserved = now;
        writeSeries(key, first);
    }

    /** Patches the first event with its series; when it is gone, creates it again with the series. */
    private StoredObject writeSeries(Key key, V1Event event) {
        ObjectNode series = event.seriesJson();
        return sink.patchOrCreate(event.namespace, event.name, current -> {
            current.set("series", series);
            return current;
        }, () -> event.json(key).set("series", series));
    }

    /** Writes the final count of series that have not repeated for 6 minutes, and forgets events that never did. */
    private void finishSeries() {
        Instant cutoff = runtime.clock().instant().minus(FINISH_TIME);
        for (Iterator<Map.Entry<Key, V1Event>> it = cache.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, V1Event> entry = it.next();
            V1Event e = entry.getValue();
            if (e.isSeries()) {
                if (e.lastObserved.isBefore(cutoff)) {
                    writeSeries(entry.getKey(), e);
                    it.remove();
                }
            } else if (e.eventTime.isBefore(cutoff)) {
                it.remove();
            }
        }
    }

    /** Writes the current count of every running series (so long series show progress). */
    private void refreshSeries() {
        cache.forEach((key, e) -> {
            if (e.isSeries()) writeSeries(key, e);
        });
    }

    /** How many events the recorder remembers (for tests). */
    int cached() {
        return cache.size();
    }

    @Override
    public void close() {
        finisher.cancel();
        refresher.cancel();
    }
}
