package kubefake.server.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the Go struct tags of k8s.io/api say about the JSON of each protobuf field, read from
 * {@code /protobuf/go-json-tags.txt} (generated from the Go sources, see that file's header).
 *
 * <p>The proto descriptors lack these facts, yet Go's JSON depends on them: gogo-protobuf writes every non-pointer
 * scalar even when it is zero, and Go's JSON then drops it only if the field is {@code omitempty}. A field not
 * listed in the file follows the common case: JSON name = proto name, {@code omitempty}, not a pointer.
 *
 * <p>Line format: {@code <proto message> [@array] [<field>:<flag>[,<flag>...] ...]} with the flags
 * <ul>
 *   <li>{@code pointer}: a Go pointer (to a scalar or a struct); sent only when set, so a zero on the wire is a value
 *   to keep; a single struct field without it is a Go value, which gogo-protobuf always writes;</li>
 *   <li>{@code always}: a non-pointer without {@code omitempty}; Go's JSON writes it even when zero;</li>
 *   <li>{@code inline}: an embedded struct whose fields Go's JSON flattens into the parent object;</li>
 *   <li>{@code skip}: tagged {@code json:"-"}, never in JSON;</li>
 *   <li>{@code json=<name>}: the JSON name differs from the proto name.</li>
 * </ul>
 * {@code @array} marks a message that is a Go slice type (e.g. {@code ExtraValue []string}): its JSON is the
 * array of its {@code items}.
 */
final class GoJsonTags {

    static final String RESOURCE = "/protobuf/go-json-tags.txt";

    /** The JSON facts of one proto field. */
    record FieldTags(boolean pointer, boolean always, boolean inline, boolean skip, String jsonName) {
        static final FieldTags DEFAULT = new FieldTags(false, false, false, false, null);

        String jsonName(FieldDescriptor field) {
            return jsonName != null ? jsonName : field.getName();
        }
    }

    private static volatile GoJsonTags loaded;

    private final Map<String, Map<String, FieldTags>> fieldsByMessage;
    private final Set<String> arrayMessages;

    private GoJsonTags(Map<String, Map<String, FieldTags>> fieldsByMessage, Set<String> arrayMessages) {
        this.fieldsByMessage = fieldsByMessage;
        this.arrayMessages = arrayMessages;
    }

    static GoJsonTags get() {
        GoJsonTags tags = loaded;
        if (tags == null) {
            synchronized (GoJsonTags.class) {
                tags = loaded;
                if (tags == null) {
                    tags = load();
                    loaded = tags;
                }
            }
        }
        return tags;
    }

    FieldTags of(FieldDescriptor field) {
        Map<String, FieldTags> fields = fieldsByMessage.get(field.getContainingType().getFullName());
        return fields == null ? FieldTags.DEFAULT : fields.getOrDefault(field.getName(), FieldTags.DEFAULT);
    }

    boolean isArray(Descriptor message) {
        return arrayMessages.contains(message.getFullName());
    }

    /** Every message named in the file, for consistency checks. */
    Map<String, Map<String, FieldTags>> fieldsByMessage() {
        return fieldsByMessage;
    }

    Set<String> arrayMessages() {
        return arrayMessages;
    }

    private static GoJsonTags load() {
        try (InputStream in = GoJsonTags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoJsonTags parse(BufferedReader reader) throws IOException {
        Map<String, Map<String, FieldTags>> fieldsByMessage = new HashMap<>();
        Set<String> arrayMessages = new HashSet<>();
        String line;
        while ((line = reader.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            Map<String, FieldTags> fields = new HashMap<>();
            for (int i = 1; i < tokens.length; i++) {
                if (tokens[i].equals("@array")) {
                    arrayMessages.add(tokens[0]);
                } else {
                    int colon = tokens[i].indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalStateException("bad token '" + tokens[i] + "' in " + RESOURCE + ": " + line);
                    }
                    fields.put(tokens[i].substring(0, colon), parseFlags(tokens[i].substring(colon + 1), line));
                }
            }
            fieldsByMessage.put(tokens[0], Map.copyOf(fields));
        }
        return new GoJsonTags(Map.copyOf(fieldsByMessage), Set.copyOf(arrayMessages));
    }

    private static FieldTags parseFlags(String flags, String line) {
        boolean pointer = false;
        boolean always = false;
        boolean inline = false;
        boolean skip = false;
        String jsonName = null;
        for (String flag : flags.split(",")) {
            switch (flag) {
                case "pointer" -> pointer = true;
                case "always" -> always = true;
                case "inline" -> inline = true;
                case "skip" -> skip = true;
                default -> {
                    if (!flag.startsWith("json=")) {
                        throw new IllegalStateException("unknown flag '" + flag + "' in " + RESOURCE + ": " + line);
                    }
                    jsonName = flag.substring("json=".length());
                }
            }
        }
        return new FieldTags(pointer, always, inline, skip, jsonName);
    }
}
