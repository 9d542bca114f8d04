package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch ({@code application/json-patch+json}) as the Kubernetes API server applies it.
 *
 * <p>The server uses evanphx/json-patch v4, whose behaviour differs from the RFC in a few places that
 * kubectl users can observe, and this class keeps them:
 * <ul>
 *   <li>{@code replace} of a missing object member adds it (array indexes must exist);</li>
 *   <li>negative array indexes count from the end ({@code -1} is the last element; for {@code add},
 *       {@code -1} appends);</li>
 *   <li>a missing {@code value} means {@code null}; {@code copy} from a missing member copies {@code null};</li>
 *   <li>{@code test} treats a missing member and {@code null} alike;</li>
 *   <li>only {@code replace} and {@code test} accept the whole document ({@code ""}) as path.</li>
 * </ul>
 * Failures: a patch that is not a list of objects is a 400 with Go's decoding message; an operation that
 * cannot be applied is a 422 with the server's generic message (the cause is in {@link PatchException#detail()});
 * more than 10000 operations is a 413.
 */
public final class JsonPatch {

    /** The real server's limit on operations in one JSON patch. */
    public static final int MAX_OPERATIONS = 10_000;

    private JsonPatch() {
    }

    /**
     * Applies the operations in order to a copy of {@code target}; {@code target} and {@code patch} are
     * not changed. A JSON {@code null} patch changes nothing.
     *
     * @throws PatchException as described on the class
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (JsonValues.isNull(patch)) {
            return target.deepCopy();
        }
        if (!patch.isArray()) {
            throw PatchException.badRequest(
                    "json: cannot unmarshal " + JsonValues.jsonKind(patch) + " into Go value of type jsonpatch.Patch");
        }
        for (JsonNode operation : patch) {
            if (!operation.isObject() && !operation.isNull()) {
                throw PatchException.badRequest("json: cannot unmarshal " + JsonValues.jsonKind(operation)
                        + " into Go value of type jsonpatch.Operation");
            }
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw PatchException.tooManyOperations(MAX_OPERATIONS, patch.size());
        }
        Document document = new Document(target.deepCopy());
        for (JsonNode operation : patch) {
            try {
                document.apply(operation);
            } catch (OperationFailed e) {
                throw PatchException.unprocessable(e.getMessage());
            }
        }
        return document.root;
    }

    /** An operation that does not apply; its message is the json-patch library's. */
    private static final class OperationFailed extends Exception {
        OperationFailed(String message) {
            super(message, null, false, false);
        }
    }

    private static final String MISSING = "missing value";
    private static final String INVALID_INDEX = "invalid index referenced";

    /** The document being patched; the root can change (replace of ""). */
    private static final class Document {
        JsonNode root;

        Document(JsonNode root) {
            this.root = root;
        }

        void apply(JsonNode operation) throws OperationFailed {
            String kind = kind(operation);
            switch (kind) {
                case "add" -> add(operation);
                case "remove" -> remove(operation);
                case "replace" -> replace(operation);
                case "move" -> move(operation);
                case "test" -> test(operation);
                case "copy" -> copy(operation);
                default -> throw new OperationFailed("Unexpected kind: " + kind);
            }
        }

        private void add(JsonNode op) throws OperationFailed {
            String path = stringField(op, "path", "add operation failed to decode path: " + MISSING, true);
            Location location = locate(path);
            if (location == null) {
                throw new OperationFailed("add operation does not apply: doc is missing path: \"" + path + "\": " + MISSING);
            }
            try {
                location.add(value(op));
            } catch (OperationFailed e) {
                throw new OperationFailed("error in add for path: '" + path + "': " + e.getMessage());
            }
        }

        private void remove(JsonNode op) throws OperationFailed {
            String path = stringField(op, "path", "remove operation failed to decode path: " + MISSING, true);
            Location location = locate(path);
            if (location == null) {
                throw new OperationFailed("remove operation does not apply: doc is missing path: \"" + path + "\": " + MISSING);
            }
            try {
                location.remove();
            } catch (OperationFailed e) {
                throw new OperationFailed("error in remove for path: '" + path + "': " + e.getMessage());
            }
        }

        private void replace(JsonNode op) throws OperationFailed {
            String path = stringField(op, "path", "replace operation failed to decode path: ", false);
            if (path.isEmpty()) {
                JsonNode value = value(op);
                if (!value.isObject() && !value.isArray()) {
                    throw new OperationFailed("replace operation value must be object or array: %!w(<nil>)");
                }
                root = value;
                return;
            }
            Location location = locate(path);
            if (location == null) {
                throw new OperationFailed("replace operation does not apply: doc is missing path: " + path + ": " + MISSING);
            }
            try {
                location.get();
            } catch (OperationFailed e) {
                throw new OperationFailed("replace operation does not apply: doc is missing key: " + path + ": " + MISSING);
            }
            try {
                location.set(value(op));
            } catch (OperationFailed e) {
                throw new OperationFailed("error in remove for path: '" + path + "': " + e.getMessage());
            }
        }

        private void move(JsonNode op) throws OperationFailed {
            String from = stringField(op, "from", "move operation failed to decode from: ", false);
            Location source = locate(from);
            if (source == null) {
                throw new OperationFailed("move operation does not apply: doc is missing from path: " + from + ": " + MISSING);
            }
            JsonNode value;
            try {
                value = source.get();
                source.remove();
            } catch (OperationFailed e) {
                throw new OperationFailed("error in move for path: '" + source.key + "': " + e.getMessage());
            }
            String path = stringField(op, "path", "move operation failed to decode path: ", false);
            Location destination = locate(path);
            if (destination == null) {
                throw new OperationFailed("move operation does not apply: doc is missing destination path: " + path + ": " + MISSING);
            }
            try {
                destination.add(value == null ? NullNode.instance : value);
            } catch (OperationFailed e) {
                throw new OperationFailed("error in move for path: '" + path + "': " + e.getMessage());
            }
        }

        private void test(JsonNode op) throws OperationFailed {
            String path = stringField(op, "path", "test operation failed to decode path: ", false);
            JsonNode expected = op.get("value");
            if (path.isEmpty()) {
                if (expected != null && JsonValues.same(root, expected)) {
                    return;
                }
                throw new OperationFailed("testing value " + path + " failed: test failed");
            }
            Location location = locate(path);
            if (location == null) {
                throw new OperationFailed("test operation does not apply: is missing path: " + path + ": " + MISSING);
            }
            JsonNode actual;
            try {
                actual = location.get();
            } catch (OperationFailed e) {
                throw new OperationFailed("error in test for path: '" + path + "': " + e.getMessage());
            }
            boolean passes = JsonValues.isNull(actual)
                    ? expected == null || expected.isNull()
                    : expected != null && JsonValues.same(actual, expected);
            if (!passes) {
                throw new OperationFailed("testing value " + path + " failed: test failed");
            }
        }

        private void copy(JsonNode op) throws OperationFailed {
            String from = stringField(op, "from", "copy operation failed to decode from: ", false);
            Location source = locate(from);
            if (source == null) {
                throw new OperationFailed("copy operation does not apply: doc is missing from path: " + from + ": " + MISSING);
            }
            JsonNode value;
            try {
                value = source.get();
            } catch (OperationFailed e) {
                throw new OperationFailed("error in copy for from: '" + from + "': " + e.getMessage());
            }
            String path = stringField(op, "path", "copy operation failed to decode path: " + MISSING, true);
            Location destination = locate(path);
            if (destination == null) {
                throw new OperationFailed("copy operation does not apply: doc is missing destination path: " + path + ": " + MISSING);
            }
            try {
                destination.add(value == null ? NullNode.instance : value.deepCopy());
            } catch (OperationFailed e) {
                throw new OperationFailed("error while adding value during copy: " + e.getMessage());
            }
        }

        /**
         * Finds the container of the last token, walking every earlier token; null when a step is missing,
         * null, or a scalar. Like the library, the text before the first {@code /} is ignored.
         */
        private Location locate(String path) {
            String[] tokens = path.split("/", -1);
            if (tokens.length < 2) {
                return null;
            }
            JsonNode container = root;
            for (int i = 1; i < tokens.length - 1; i++) {
                JsonNode next;
                try {
                    next = new Location(container, JsonPointer.unescape(tokens[i])).get();
                } catch (OperationFailed e) {
                    return null;
                }
                if (next == null || !(next.isObject() || next.isArray())) {
                    return null;
                }
                container = next;
            }
            return new Location(container, JsonPointer.unescape(tokens[tokens.length - 1]));
        }
    }

    /** One member of an object or index of an array, as json-patch's container operations see it. */
    private static final class Location {
        final JsonNode container;
        final String key;

        Location(JsonNode container, String key) {
            this.container = container;
            this.key = key;
        }

        /** The value there; null for a missing object member (not an error, as in the library). */
        JsonNode get() throws OperationFailed {
            if (container instanceof ObjectNode object) {
                return object.get(key);
            }
            ArrayNode array = (ArrayNode) container;
            int index = parseIndex(key);
            if (index < 0) {
                if (index < -array.size()) {
                    throw invalidIndex(index);
                }
                index += array.size();
            }
            if (index >= array.size()) {
                throw invalidIndex(index);
            }
            return array.get(index);
        }

        void set(JsonNode value) throws OperationFailed {
            if (container instanceof ObjectNode object) {
                object.set(key, value);
                return;
            }
            ArrayNode array = (ArrayNode) container;
            int index = parseIndex(key);
            if (index < 0) {
                if (index < -array.size()) {
                    throw invalidIndex(index);
                }
                index += array.size();
            }
            array.set(index, value);
        }

        void add(JsonNode value) throws OperationFailed {
            if (container instanceof ObjectNode object) {
                object.set(key, value);
                return;
            }
            ArrayNode array = (ArrayNode) container;
            if (key.equals("-")) {
                array.add(value);
                return;
            }
            int index;
            try {
                index = parseIndex(key);
            } catch (OperationFailed e) {
                throw new OperationFailed("value was not a proper array index: '" + key + "': " + e.getMessage());
            }
            int grown = array.size() + 1;
            if (index >= grown) {
                throw invalidIndex(index);
            }
            if (index < 0) {
                if (index < -grown) {
                    throw invalidIndex(index);
                }
                index += grown;
            }
            array.insert(index, value);
        }

        void remove() throws OperationFailed {
            if (container instanceof ObjectNode object) {
                if (!object.has(key)) {
                    throw new OperationFailed("Unable to remove nonexistent key: " + key + ": " + MISSING);
                }
                object.remove(key);
                return;
            }
            ArrayNode array = (ArrayNode) container;
            int index = parseIndex(key);
            if (index >= array.size()) {
                throw invalidIndex(index);
            }
            if (index < 0) {
                if (index < -array.size()) {
                    throw invalidIndex(index);
                }
                index += array.size();
            }
            array.remove(index);
        }

        private static OperationFailed invalidIndex(int index) {
            return new OperationFailed("Unable to access invalid index: " + index + ": " + INVALID_INDEX);
        }

        /** Go's {@code strconv.Atoi}, with its messages. */
        private static int parseIndex(String key) throws OperationFailed {
            if (!key.matches("[+-]?[0-9]+")) {
                throw new OperationFailed("strconv.Atoi: parsing \"" + key + "\": invalid syntax");
            }
            try {
                return Integer.parseInt(key);
            } catch (NumberFormatException e) {
                throw new OperationFailed("strconv.Atoi: parsing \"" + key + "\": value out of range");
            }
        }
    }

    private static String kind(JsonNode op) {
        JsonNode kind = op.get("op");
        return kind != null && kind.isTextual() ? kind.textValue() : "unknown";
    }

    /** The operation's value, copied; a missing value is null, as in the library. */
    private static JsonNode value(JsonNode op) {
        JsonNode value = op.get("value");
        return value == null ? NullNode.instance : value.deepCopy();
    }

    /**
     * Reads {@code path} or {@code from}. The library words a missing field and a non-string field
     * differently per operation: {@code missingMessage} is the whole message when {@code fixedMessage},
     * otherwise a prefix for the underlying error.
     */
    private static String stringField(JsonNode op, String field, String missingMessage, boolean fixedMessage)
            throws OperationFailed {
        JsonNode value = op.isNull() ? null : op.get(field);
        if (value != null && value.isTextual()) {
            return value.textValue();
        }
        if (fixedMessage) {
            throw new OperationFailed(missingMessage);
        }
        String cause = JsonValues.isNull(value)
                ? (field.equals("path") ? "operation missing path field: " : "operation, missing from field: ") + MISSING
                : "json: cannot unmarshal " + JsonValues.jsonKind(value) + " into Go value of type string";
        throw new OperationFailed(missingMessage + cause);
    }
}
