package kubefake.store.registry.fieldvalidation;

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
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the Go struct tags of k8s.io/api and k8s.io/apimachinery say about the JSON of each field of the built-in
 * types, read from {@code /gotypes/go-json-tags.txt} (generated from the Go sources, see that file's header).
 * OpenAPI documents lose these facts, yet Go's JSON depends on them: which fields are pointers (absent unless set),
 * which are written even when empty (no {@code omitempty}), and the names of Go's named types
 * ({@code v1.Protocol}, {@code types.UID}) that its decoding errors print.
 *
 * <p>Types are named as their protobuf messages ({@code k8s.io.api.core.v1.PodSpec}); fields by their proto names,
 * which are the JSON names unless {@code json=} says otherwise. A field not listed follows the common case: a
 * non-pointer with {@code omitempty}, whose Go type the schema tells.
 *
 * <p>Line format: {@code @packages <proto package> ...} names the packages read from Go sources; then
 * {@code <proto message> [@array] [<field>:<flag>[,<flag>...] ...]} with the flags
 * <ul>
 *   <li>{@code pointer}: a Go pointer; absent unless set, so a zero value that is present is kept;</li>
 *   <li>{@code always}: a scalar, slice or map without {@code omitempty}; Go writes it even when zero or empty
 *       (structs are always written, whatever their tag);</li>
 *   <li>{@code inline[=<message>]}: an embedded struct whose fields Go's JSON flattens into the parent object;</li>
 *   <li>{@code skip}: tagged {@code json:"-"}, never in JSON;</li>
 *   <li>{@code json=<name>}: the JSON name differs from the proto name;</li>
 *   <li>{@code go=<type>}: the Go type as {@code reflect} prints it, where the schema cannot tell it.</li>
 * </ul>
 * {@code @array} marks a message that is a Go slice type (e.g. {@code ExtraValue []string}): its JSON is the
 * array of its {@code items}.
 */
public final class GoJsonTags {

    static final String RESOURCE = "/gotypes/go-json-tags.txt";

    /** The JSON facts of one field. */
    public record FieldTags(boolean pointer, boolean always, boolean inline, String inlineMessage, boolean skip,
                            String jsonName, String goType) {
        public static final FieldTags DEFAULT = new FieldTags(false, false, false, null, false, null, null);
    }

    private static volatile GoJsonTags loaded;

    private final Set<String> packages;
    private final Map<String, Map<String, FieldTags>> fieldsByMessage;
    private final Set<String> arrayMessages;
    /** Per message, its fields by JSON name, the fields of inlined messages included; built on first use. */
    private final Map<String, Map<String, FieldTags>> jsonFieldsByMessage = new ConcurrentHashMap<>();

    private GoJsonTags(Set<String> packages, Map<String, Map<String, FieldTags>> fieldsByMessage,
                       Set<String> arrayMessages) {
        this.packages = packages;
        this.fieldsByMessage = fieldsByMessage;
        this.arrayMessages = arrayMessages;
    }

    public static GoJsonTags get() {
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

    /** The facts of a message's field by its proto name; {@link FieldTags#DEFAULT} when not listed. */
    public FieldTags of(String message, String protoField) {
        Map<String, FieldTags> fields = fieldsByMessage.get(message);
        return fields == null ? FieldTags.DEFAULT : fields.getOrDefault(protoField, FieldTags.DEFAULT);
    }

    /**
     * The facts of the field a message's JSON has under {@code jsonName}, looking into inlined structs;
     * {@link FieldTags#DEFAULT} when not listed.
     */
    public FieldTags ofJson(String message, String jsonName) {
        return jsonFields(message).getOrDefault(jsonName, FieldTags.DEFAULT);
    }

    /** Whether the message's Go struct was read, so that an unlisted field of it really follows the common case. */
    public boolean describes(String message) {
        int dot = message.lastIndexOf('.');
        return dot > 0 && packages.contains(message.substring(0, dot));
    }

    public boolean isArray(String message) {
        return arrayMessages.contains(message);
    }

    /** Every message named in the file, for consistency checks. */
    public Map<String, Map<String, FieldTags>> fieldsByMessage() {
        return fieldsByMessage;
    }

    public Set<String> arrayMessages() {
        return arrayMessages;
    }

    private Map<String, FieldTags> jsonFields(String message) {
        Map<String, FieldTags> known = jsonFieldsByMessage.get(message);
        if (known != null) {
            return known;
        }
        if (!fieldsByMessage.containsKey(message)) {
            return Map.of();
        }
        Map<String, FieldTags> byJsonName = new HashMap<>();
        fieldsByMessage.getOrDefault(message, Map.of()).forEach((protoName, tags) -> {
            if (tags.inline() && tags.inlineMessage() != null) {
                byJsonName.putAll(jsonFields(tags.inlineMessage()));
            } else if (!tags.skip()) {
                byJsonName.put(tags.jsonName() != null ? tags.jsonName() : protoName, tags);
            }
        });
        Map<String, FieldTags> frozen = Map.copyOf(byJsonName);
        jsonFieldsByMessage.put(message, frozen);
        return frozen;
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
        Set<String> packages = new HashSet<>();
        Map<String, Map<String, FieldTags>> fieldsByMessage = new HashMap<>();
        Set<String> arrayMessages = new HashSet<>();
        String line;
        while ((line = reader.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tokens = tokens(line);
            if (tokens[0].equals("@packages")) {
                packages.addAll(java.util.List.of(tokens).subList(1, tokens.length));
                continue;
            }
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
        return new GoJsonTags(Set.copyOf(packages), Map.copyOf(fieldsByMessage), Set.copyOf(arrayMessages));
    }

    /** The line's tokens, separated by spaces (a regex split costs more than the whole file's parsing). */
    private static String[] tokens(String line) {
        java.util.List<String> tokens = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || Character.isWhitespace(line.charAt(i))) {
                if (i > start) {
                    tokens.add(line.substring(start, i));
                }
                start = i + 1;
            }
        }
        return tokens.toArray(String[]::new);
    }

    private static FieldTags parseFlags(String flags, String line) {
        boolean pointer = false;
        boolean always = false;
        boolean inline = false;
        String inlineMessage = null;
        boolean skip = false;
        String jsonName = null;
        String goType = null;
        for (int start = 0, comma; start <= flags.length(); start = comma + 1) {
            comma = flags.indexOf(',', start);
            if (comma < 0) {
                comma = flags.length();
            }
            String flag = flags.substring(start, comma);
            switch (flag) {
                case "pointer" -> pointer = true;
                case "always" -> always = true;
                case "inline" -> inline = true;
                case "skip" -> skip = true;
                default -> {
                    if (flag.startsWith("json=")) {
                        jsonName = flag.substring("json=".length());
                    } else if (flag.startsWith("go=")) {
                        goType = flag.substring("go=".length());
                    } else if (flag.startsWith("inline=")) {
                        inline = true;
                        inlineMessage = flag.substring("inline=".length());
                    } else {
                        throw new IllegalStateException("unknown flag '" + flag + "' in " + RESOURCE + ": " + line);
                    }
                }
            }
        }
        return new FieldTags(pointer, always, inline, inlineMessage, skip, jsonName, goType);
    }
}
