package kubefake.server.api;

/**
 * Where values end in UTF-8 JSON, found without parsing them: a value skipped this way costs a pass over its bytes,
 * not a parser's tokens (whose field names a parser looks up and remembers, a cost that grows with names that differ
 * from object to object, as managedFields' {@code k:{"ip":...}} keys do). The bytes must be valid JSON, as the
 * registry's stored objects are.
 */
final class JsonScan {
    private JsonScan() {
    }

    /** The first index at or after {@code i} that is not JSON whitespace. */
    static int skipWhitespace(byte[] json, int i) {
        while (i < json.length) {
            byte b = json[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return i;
            i++;
        }
        return i;
    }

    /** The index after the string whose opening quote is at {@code i}. */
    static int stringEnd(byte[] json, int i) {
        i++;
        while (true) {
            byte b = json[i];
            if (b == '"') return i + 1;
            i += b == '\\' ? 2 : 1; // an escape's second byte is never the closing quote
        }
    }

    /** The index after the value that starts at {@code i}. */
    static int valueEnd(byte[] json, int i) {
        byte first = json[i];
        if (first == '"') return stringEnd(json, i);
        if (first == '{' || first == '[') {
            int depth = 0;
            while (true) {
                byte b = json[i];
                if (b == '"') {
                    i = stringEnd(json, i);
                    continue;
                }
                if (b == '{' || b == '[') {
                    depth++;
                } else if ((b == '}' || b == ']') && --depth == 0) {
                    return i + 1;
                }
                i++;
            }
        }
        // a number, true, false or null: up to the next delimiter
        while (i < json.length) {
            byte b = json[i];
            if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t') return i;
            i++;
        }
        return i;
    }

    /** Whether the bytes in [from, to) hold a backslash (an escape in a string's contents). */
    static boolean hasEscape(byte[] json, int from, int to) {
        for (int i = from; i < to; i++) {
            if (json[i] == '\\') return true;
        }
        return false;
    }
}
