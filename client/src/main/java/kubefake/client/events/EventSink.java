package kubefake.client.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Where recorders write events (client-go's EventSink): create, or patch an existing event and create it again when
 * it is gone. The registry's refusals are final (a remote client would not retry them either): logged, not thrown.
 */
final class EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

    private final ResourceClient events;

    EventSink(Client client, String group) {
        this.events = client.resource(group, "events");
    }

    /**
     * Creates the event; null when the registry refused it. Names are {@code <object>.<hex nanoseconds>}: two events
     * about one object at the same instant (a manual clock stands still; the system clock ticks in microseconds) would
     * collide, so a taken name moves on to the next nanosecond rather than lose the event.
     */
    StoredObject create(ObjectNode event) {
        for (int attempt = 0; ; attempt++) {
            try {
                return events.create(event);
            } catch (StatusException e) {
                if (!"AlreadyExists".equals(e.reason()) || attempt >= 100) {
                    rejected(event, e);
                    return null;
                }
                ObjectNode meta = (ObjectNode) event.get("metadata");
                meta.put("name", EventTimes.nextName(meta.path("name").asText()));
            }
        }
    }

    /** Patches the named event; when it no longer exists, creates {@code recreate} instead. Null when refused. */
    StoredObject patchOrCreate(String namespace, String name, UnaryOperator<ObjectNode> patch, Supplier<ObjectNode> recreate) {
        try {
            return events.patch(namespace, name, patch);
        } catch (StatusException e) {
            if (e.code() != 404) {
                rejected(recreate.get(), e);
                return null;
            }
        }
        return create(recreate.get());
    }

    private static void rejected(ObjectNode event, StatusException e) {
        String what = event.path("metadata").path("namespace").asText() + "/" + event.path("metadata").path("name").asText();
        // an event into a namespace being deleted, or one written twice, is expected; anything else is worth a line
        if (e.code() == 409 || e.code() == 403 && e.getMessage().contains("being terminated")) {
            LOG.debug("event {} rejected (will not retry): {}", what, e.getMessage());
        } else {
            LOG.warn("event {} rejected (will not retry): {}", what, e.getMessage());
        }
    }
}
