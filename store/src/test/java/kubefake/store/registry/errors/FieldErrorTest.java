package kubefake.store.registry.errors;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The message bodies of each field error type, as Go's {@code field.Error.ErrorBody()} writes them. */
class FieldErrorTest {

    private static final FieldPath P = FieldPath.of("spec").child("containers").index(0).child("name");

    @Test
    void bodies() {
        assertEquals("Invalid value: \"x\": bad", FieldError.invalid(P, "x", "bad").body());
        assertEquals("Invalid value: 70000: bad", FieldError.invalid(P, 70000L, "bad").body());
        assertEquals("Invalid value: null: bad", FieldError.invalid(P, null, "bad").body());
        assertEquals("Required value", FieldError.required(P, "").body());
        assertEquals("Required value: name or generateName is required",
                FieldError.required(P, "name or generateName is required").body());
        assertEquals("Duplicate value: \"web\"", FieldError.duplicate(P, "web").body());
        assertEquals("Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                FieldError.notSupported(P, "Sometimes", List.of("Always", "OnFailure", "Never")).body());
        assertEquals("Forbidden: not allowed on this type", FieldError.forbidden(P, "not allowed on this type").body());
        assertEquals("Too long: may not be more than 262144 bytes", FieldError.tooLong(P, 262144).body());
        assertEquals("Not found: \"vol\"", FieldError.notFound(P, "vol").body());
        assertEquals("Too many: 5: must have at most 3 items", FieldError.tooMany(P, 5, 3).body());
    }

    @Test
    void causeAndPath() {
        Cause c = FieldError.required(P, "").toCause();
        assertEquals(new Cause("FieldValueRequired", "Required value", "spec.containers[0].name"), c);
        assertEquals("metadata.annotations[a/b]", FieldPath.of("metadata").child("annotations").key("a/b").toString());
        assertEquals("spec.containers[0].name: Required value", FieldError.required(P, "").toString());
    }

    @Test
    void goRendering() {
        assertEquals("map[string]string{\"a\":\"1\", \"b\":\"2\"}", FieldError.render(Map.of("b", "2", "a", "1")));
        assertEquals("map[string]string(nil)", GoFormat.stringMap(null));
        assertEquals("[]string{\"x\", \"y\"}", FieldError.render(List.of("x", "y")));
        assertEquals("\"tab\\there \\\"q\\\" \\\\ ü\"", GoFormat.quote("tab\there \"q\" \\ ü"));
        assertEquals("\"\\x01\"", GoFormat.quote("\u0001"));
    }
}
