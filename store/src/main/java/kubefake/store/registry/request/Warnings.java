package kubefake.store.registry.request;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The warnings one request collects for its answer (apiserver's {@code warning.AddWarning} recorder): field
 * validation's unknown fields, deprecations, ValidatingAdmissionPolicy {@code Warn} bindings. The HTTP front end
 * writes each as a {@code Warning: 299 - "..."} header, on success and on error alike; a text already recorded is
 * not repeated, as the real recorder drops duplicates (a retried patch warns once).
 */
public final class Warnings {
    /** Where the warnings of in-process writers go: nobody reads them. */
    public static final Warnings DISCARDED = new Warnings(false);

    private final boolean kept;
    private final Set<String> texts = new LinkedHashSet<>();

    private Warnings(boolean kept) {
        this.kept = kept;
    }

    /** An empty collector for one request. */
    public Warnings() {
        this(true);
    }

    public void add(String text) {
        if (!kept || text == null || text.isBlank()) return;
        synchronized (texts) {
            texts.add(text);
        }
    }

    public void addAll(List<String> more) {
        more.forEach(this::add);
    }

    /** The texts so far, in the order they were first added. */
    public List<String> texts() {
        synchronized (texts) {
            return new ArrayList<>(texts);
        }
    }
}
