package kubefake.store.registry.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CEL types made from an OpenAPI v3 structural schema (apiextensions' {@code SchemaDeclType}): an object with
 * properties is a struct whose fields are the escaped property names, an object with additionalProperties a
 * map, arrays lists, and int-or-string or schemaless values {@code dyn}. So {@code self.spec.replicas} type
 * checks and {@code self.spec.nosuch} is refused at compile time, as on a real cluster. The resource root and
 * embedded resources also have {@code apiVersion}, {@code kind} and {@code metadata.name/generateName}.
 */
public final class SchemaCelTypes implements CelTypeProvider {
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
            "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");
    private static final Pattern IDENTIFIER = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9]*");
    private static final Pattern ESCAPABLE = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9./-]*");

    private final Map<String, CelType> structs = new LinkedHashMap<>();

    /** The type of a value with this schema, its structs named below {@code name}. */
    public CelType typeOf(JsonNode schema, String name, boolean resourceRoot) {
        if (schema == null || !schema.isObject()) return SimpleType.DYN;
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) return SimpleType.DYN;
        boolean embedded = resourceRoot || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        String type = schema.path("type").asText("");
        switch (type) {
            case "string":
                return SimpleType.STRING;
            case "integer":
                return SimpleType.INT;
            case "number":
                return SimpleType.DOUBLE;
            case "boolean":
                return SimpleType.BOOL;
            case "array":
                return ListType.create(typeOf(schema.get("items"), name + ".@idx", false));
            case "object":
                break;
            default:
                return SimpleType.DYN;
        }
        JsonNode properties = schema.path("properties");
        if (properties.size() > 0 || embedded) {
            Map<String, CelType> fields = new LinkedHashMap<>();
            if (embedded) {
                fields.put("apiVersion", SimpleType.STRING);
                fields.put("kind", SimpleType.STRING);
                Map<String, CelType> meta = new LinkedHashMap<>();
                meta.put("name", SimpleType.STRING);
                meta.put("generateName", SimpleType.STRING);
                fields.put("metadata", struct(name + ".metadata", meta));
            }
            properties.properties().forEach(e -> {
                String field = escape(e.getKey());
                if (field != null && !(embedded && e.getKey().equals("metadata"))) {
                    fields.put(field, typeOf(e.getValue(), name + "." + field, false));
                }
            });
            return struct(name, fields);
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            return MapType.create(SimpleType.STRING, typeOf(additional, name + ".@elem", false));
        }
        return schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                ? SimpleType.DYN : MapType.create(SimpleType.STRING, SimpleType.DYN);
    }

    private CelType struct(String name, Map<String, CelType> fields) {
        Map<String, CelType> copy = Map.copyOf(fields);
        StructType t = StructType.create(name, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(copy.get(f)));
        structs.put(name, t);
        return t;
    }

    /**
     * A property name as a CEL field name (apiserver's {@code cel.Escape}): reserved words as
     * {@code __name__}, {@code __ . - /} spelled out; null when it cannot be escaped (then the field is not visible).
     */
    public static String escape(String name) {
        if (RESERVED.contains(name)) return "__" + name + "__";
        if (IDENTIFIER.matcher(name).matches() && !name.contains("__")) return name;
        if (!ESCAPABLE.matcher(name).matches()) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' && i + 1 < name.length() && name.charAt(i + 1) == '_') {
                b.append("__underscores__");
                i++;
            } else if (c == '.') {
                b.append("__dot__");
            } else if (c == '-') {
                b.append("__dash__");
            } else if (c == '/') {
                b.append("__slash__");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
    }
}
