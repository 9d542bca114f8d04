package kubefake.store.registry.request;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit annotations admission adds to one request ({@code admission.Attributes.AddAnnotation}): what an audit
 * log would write into the request's audit event. kubefake writes no audit log, so requests from the HTTP front end
 * discard them; a caller that wants them (a test, a future audit log) passes a collecting instance. As in the real
 * attributes record, a key keeps its first value.
 */
public final class AuditAnnotations {
    /** Where annotations go when nothing reads them. */
    public static final AuditAnnotations DISCARDED = new AuditAnnotations(false);

    private final boolean kept;
    private final Map<String, String> values = new LinkedHashMap<>();

    private AuditAnnotations(boolean kept) {
        this.kept = kept;
    }

    /** An empty collector for one request. */
    public AuditAnnotations() {
        this(true);
    }

    public void add(String key, String value) {
        if (!kept) return;
        synchronized (values) {
            values.putIfAbsent(key, value);
        }
    }

    /** The annotations so far, in the order they were added. */
    public Map<String, String> values() {
        synchronized (values) {
            return new LinkedHashMap<>(values);
        }
    }
}
