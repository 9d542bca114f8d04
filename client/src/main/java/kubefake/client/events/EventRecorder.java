package kubefake.client.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.runtime.SerialExecutor;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Objects;

/**
 * Records core/v1 Events as client-go's {@code tools/record} recorder does for the kubelet and kube-controller-manager's
 * controllers: {@code source} (component, and host for a kubelet), {@code reportingComponent}/{@code reportingInstance}
 * from it, the object reference, {@code firstTimestamp}/{@code lastTimestamp}/{@code count}, and the name
 * {@code <object name>.<hex nanoseconds>}. Repeats are folded into the existing event by {@link EventCorrelator}
 * ({@code kubectl describe} shows {@code 2m (x3 over 5m)}).
 *
 * <p>Recording never blocks the caller: the event is correlated and written on the recorder's own lane of the
 * cluster's executor, in order.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private final ClusterRuntime runtime;
    private final String component;
    private final String host;
    private final EventSink sink;
    private final EventCorrelator correlator;
    private final SerialExecutor lane;

    /**
     * @param component the source component ({@code kubelet}, {@code replicaset-controller}, ...)
     * @param host      the source host (the node, for a kubelet), or "" for controllers
     */
    public EventRecorder(Client client, ClusterRuntime runtime, String component, String host) {
        this.runtime = runtime;
        this.component = Objects.requireNonNull(component);
        this.host = host == null ? "" : host;
        this.sink = new EventSink(client, "");
        this.correlator = new EventCorrelator(runtime.clock());
        this.lane = new SerialExecutor(runtime);
    }

    public void event(StoredObject about, String type, String reason, String message) {
        event(ObjectReference.of(about), type, reason, message);
    }

    /** {@code message} formatted with {@link String#format}. */
    public void eventf(ObjectReference about, String type, String reason, String format, Object... args) {
        event(about, type, reason, String.format(format, args));
    }

    public void event(ObjectReference about, String type, String reason, String message) {
        if (!NORMAL.equals(type) && !WARNING.equals(type)) {
            LOG.error("unsupported event type {} (reason {}): not recorded", type, reason);
            return;
        }
        Instant now = runtime.clock().instant();
        CoreEvent e = new CoreEvent();
        e.name = EventTimes.eventName(about.name(), now);
        e.namespace = about.namespace().isEmpty() ? "default" : about.namespace();
        e.involvedObject = about;
        e.reason = reason;
        e.message = message;
        e.firstTimestamp = now;
        e.lastTimestamp = now;
        e.count = 1;
        e.type = type;
        e.sourceComponent = component;
        e.sourceHost = host;
        e.reportingController = component;
        e.reportingInstance = host;
        lane.execute(() -> record(e));
    }

    private void record(CoreEvent event) {
        EventCorrelator.Result result = correlator.correlate(event);
        if (result.skip()) return;
        CoreEvent e = result.event();
        StoredObject stored;
        if (result.update()) {
            stored = sink.patchOrCreate(e.namespace, e.name, current -> {
                current.put("count", e.count);
                current.put("lastTimestamp", EventTimes.time(e.lastTimestamp));
                current.put("message", e.message);
                return current;
            }, e::toJson);
        } else {
            ObjectNode json = e.toJson();
            stored = sink.create(json);
            if (stored != null) correlator.updateState(created(json, e));
            return;
        }
        if (stored != null) correlator.updateState(fromStored(stored, e));
    }

    /**
     * A created event as the correlator tracks it: what was sent, under the name it was created with (the sink moves
     * a taken name on); nothing to parse back.
     */
    private static CoreEvent created(ObjectNode sent, CoreEvent event) {
        CoreEvent s = event.copy();
        s.name = Json.text(sent.path("metadata"), "name");
        return s;
    }

    /** What the registry answered, as the correlator tracks it. */
    private static CoreEvent fromStored(StoredObject stored, CoreEvent sent) {
        ObjectNode o = stored.tree(); // the revision's shared tree: read only
        JsonNode meta = o.path("metadata");
        CoreEvent s = sent.copy();
        s.name = Json.text(meta, "name");
        s.count = o.path("count").asInt(sent.count);
        s.message = Json.text(o, "message");
        String first = Json.text(o, "firstTimestamp");
        if (!first.isEmpty()) s.firstTimestamp = Instant.parse(first);
        return s;
    }
}
