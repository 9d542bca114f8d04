package kubefake.server.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Go struct-tag facts of the protobuf fields (which field is a pointer, written when zero, inlined, renamed),
 * looked up by descriptor. The facts themselves are the store's {@link kubefake.store.registry.fieldvalidation.GoJsonTags},
 * which the typed decoding of JSON bodies reads too.
 */
final class GoJsonTags {

    /** The JSON facts of one proto field. */
    record FieldTags(boolean pointer, boolean always, boolean inline, boolean skip, String jsonName) {
        static final FieldTags DEFAULT = new FieldTags(false, false, false, false, null);

        String jsonName(FieldDescriptor field) {
            return jsonName != null ? jsonName : field.getName();
        }

        static FieldTags of(kubefake.store.registry.fieldvalidation.GoJsonTags.FieldTags tags) {
            return new FieldTags(tags.pointer(), tags.always(), tags.inline(), tags.skip(), tags.jsonName());
        }
    }

    private static final GoJsonTags INSTANCE = new GoJsonTags();

    private final kubefake.store.registry.fieldvalidation.GoJsonTags facts =
            kubefake.store.registry.fieldvalidation.GoJsonTags.get();

    private final Map<FieldDescriptor, FieldTags> byField = new ConcurrentHashMap<>();

    private GoJsonTags() {
    }

    static GoJsonTags get() {
        return INSTANCE;
    }

    FieldTags of(FieldDescriptor field) {
        return byField.computeIfAbsent(field,
                f -> FieldTags.of(facts.of(f.getContainingType().getFullName(), f.getName())));
    }

    boolean isArray(Descriptor message) {
        return facts.isArray(message.getFullName());
    }

    /** Every message named in the file, for consistency checks. */
    Map<String, Map<String, kubefake.store.registry.fieldvalidation.GoJsonTags.FieldTags>> fieldsByMessage() {
        return facts.fieldsByMessage();
    }

    Set<String> arrayMessages() {
        return facts.arrayMessages();
    }
}
