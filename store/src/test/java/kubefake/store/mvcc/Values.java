package kubefake.store.mvcc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Small helpers for tests: values as strings. */
final class Values {
    private Values() {
    }

    static ValueEncoder text(String value) {
        return revision -> value.getBytes(StandardCharsets.UTF_8);
    }

    static String text(KeyValue kv) {
        return kv == null || kv.value() == null ? null : new String(kv.value(), StandardCharsets.UTF_8);
    }

    static WriteResult put(KeyValueStore store, String key, String value) {
        return store.put(key, text(value), WriteView.ANY);
    }

    static List<String> keys(RangeResult result) {
        return result.kvs().stream().map(KeyValue::key).collect(Collectors.toList());
    }

    /** "PUT key=value@rev" or "DELETE key@rev": what a watcher saw, comparable in assertions. */
    static String describe(Event event) {
        return event.type() == Event.Type.PUT
                ? "PUT " + event.kv().key() + "=" + text(event.kv()) + "@" + event.revision()
                : "DELETE " + event.kv().key() + "@" + event.revision();
    }

    static List<String> describe(List<Event> events) {
        return events.stream().map(Values::describe).collect(Collectors.toList());
    }
}
