package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kubefake.server.protobuf.ProtobufDecodeException;
import kubefake.server.protobuf.ProtobufDecoder;
import kubefake.store.registry.errors.GoJsonSyntax;
import kubefake.store.registry.errors.StatusException;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DELETE's body: metav1.DeleteOptions in JSON or YAML. Kubernetes 1.33's {@code DeleteResource} hands every
 * decoding error to the client unconverted, so a body it cannot read is a 500 with no reason and the decoder's
 * text as message (fixed to a 400 only in 1.35, kubernetes/kubernetes#132359): {@code couldn't get
 * version/kind; json parse error: ...}, {@code json: cannot unmarshal string into Go struct field
 * DeleteOptions.gracePeriodSeconds of type int64}, {@code no kind "Pod" is registered for version "v1" in
 * scheme "pkg/apis/meta/internalversion/scheme/register.go:27"}.
 */
final class DeleteOptionsBody {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Duplicate keys are fine for Go's decoder: the last one wins. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEME = "pkg/apis/meta/internalversion/scheme/register.go:27";
    private static final String TYPE_META = "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
            + "Kind string \"json:\\\"kind,omitempty\\\"\" }";
    /** Other option kinds the meta scheme decodes in any version: decodable, but not a DeleteOptions. */
    private static final Set<String> OTHER_OPTIONS = Set.of("CreateOptions", "UpdateOptions");

    private DeleteOptionsBody() {
    }

    /** The DeleteOptions fields; null where not given. */
    record Fields(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
                  Boolean orphanDependents, String propagationPolicy, List<String> dryRun) {
    }

    static Fields decode(String contentType, byte[] body) {
        String media = BodyDecoder.mediaType(contentType);
        JsonNode doc;
        switch (media) {
            case "", "application/json" -> {
                String syntax = GoJsonSyntax.error(body);
                if (syntax != null) throw StatusException.unclassified("couldn't get version/kind; json parse error: " + syntax);
                doc = parse(JSON, body);
            }
            case "application/yaml" -> doc = parse(YAML, body);
            case "application/vnd.kubernetes.protobuf" -> {
                try {
                    doc = ProtobufDecoder.decode(body, "meta.k8s.io/v1", "DeleteOptions");
                } catch (ProtobufDecodeException e) {
                    throw StatusException.unclassified(e.getMessage());
                }
            }
            default -> throw StatusException.unsupportedMediaType();
        }
        if (doc == null || doc.isNull()) return new Fields(null, null, null, null, null, List.of());
        if (!doc.isObject()) {
            throw StatusException.unclassified("couldn't get version/kind; json parse error: json: cannot unmarshal "
                    + jsonKind(doc) + " into Go value of type " + TYPE_META);
        }
        for (Map.Entry<String, JsonNode> e : doc.properties()) {
            if ((e.getKey().equals("kind") || e.getKey().equals("apiVersion")) && !e.getValue().isTextual()
                    && !e.getValue().isNull()) {
                throw StatusException.unclassified("couldn't get version/kind; json parse error: json: cannot unmarshal "
                        + jsonKind(e.getValue()) + " into Go struct field ." + e.getKey() + " of type string");
            }
        }
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        if (apiVersion.chars().filter(c -> c == '/').count() > 1) {
            throw StatusException.unclassified("unexpected GroupVersion string: " + apiVersion);
        }
        if (OTHER_OPTIONS.contains(kind)) throw StatusException.unclassified("decoded object cannot be converted to DeleteOptions");
        if (!kind.isEmpty() && !kind.equals("DeleteOptions")) {
            throw StatusException.unclassified("no kind \"" + kind + "\" is registered for version \""
                    + (apiVersion.isEmpty() ? "meta.k8s.io/v1" : apiVersion) + "\" in scheme \"" + SCHEME + "\"");
        }
        return fields(doc);
    }

    private static JsonNode parse(ObjectMapper mapper, byte[] body) {
        try {
            JsonNode n = mapper.readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException e) {
            // YAML the converter cannot read (the libyaml wording is not reproduced), or bytes Go would accept
            throw StatusException.unclassified("error converting YAML to JSON: " + firstLine(e.getMessage()));
        }
    }

    /** The known fields, each checked against its Go type in document order (the first mismatch is the error). */
    private static Fields fields(JsonNode doc) {
        Long grace = null;
        String uid = null;
        String rv = null;
        Boolean orphan = null;
        String propagation = null;
        List<String> dryRun = List.of();
        for (Map.Entry<String, JsonNode> e : doc.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            switch (e.getKey()) {
                case "gracePeriodSeconds" -> grace = int64(v, "DeleteOptions", "gracePeriodSeconds");
                case "orphanDependents" -> orphan = bool(v, "orphanDependents");
                case "ignoreStoreReadErrorWithClusterBreakingPotential" -> bool(v, e.getKey());
                case "propagationPolicy" -> propagation = string(v, "DeleteOptions", "propagationPolicy", "v1.DeletionPropagation");
                case "dryRun" -> dryRun = strings(v);
                case "preconditions" -> {
                    if (!v.isObject()) throw mismatch(v, "DeleteOptions", "preconditions", "v1.Preconditions");
                    JsonNode u = v.get("uid");
                    JsonNode r = v.get("resourceVersion");
                    if (u != null && !u.isNull()) uid = string(u, "Preconditions", "preconditions.uid", "types.UID");
                    if (r != null && !r.isNull()) rv = string(r, "Preconditions", "preconditions.resourceVersion", "string");
                }
                default -> { }
            }
        }
        return new Fields(grace, uid, rv, orphan, propagation, dryRun);
    }

    private static long int64(JsonNode v, String struct, String field) {
        if (!v.isNumber()) throw mismatch(v, struct, field, "int64");
        if (!v.isIntegralNumber() || v.bigIntegerValue().bitLength() > 63) {
            throw StatusException.unclassified("json: cannot unmarshal number " + numberText(v) + " into Go struct field "
                    + struct + "." + field + " of type int64");
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode v, String field) {
        if (!v.isBoolean()) throw mismatch(v, "DeleteOptions", field, "bool");
        return v.booleanValue();
    }

    private static String string(JsonNode v, String struct, String field, String goType) {
        if (!v.isTextual()) throw mismatch(v, struct, field, goType);
        return v.textValue();
    }

    private static List<String> strings(JsonNode v) {
        if (!v.isArray()) throw mismatch(v, "DeleteOptions", "dryRun", "[]string");
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (item.isNull()) {
                out.add("");
            } else {
                out.add(string(item, "DeleteOptions", "dryRun", "string"));
            }
        }
        return out;
    }

    private static StatusException mismatch(JsonNode v, String struct, String field, String goType) {
        return StatusException.unclassified("json: cannot unmarshal " + jsonKind(v) + " into Go struct field "
                + struct + "." + field + " of type " + goType);
    }

    private static String jsonKind(JsonNode n) {
        if (n.isObject()) return "object";
        if (n.isArray()) return "array";
        if (n.isTextual()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "null";
    }

    private static String numberText(JsonNode v) {
        if (v.isBigDecimal()) return v.decimalValue().toString();
        if (v.isIntegralNumber()) return new BigInteger(v.asText()).toString();
        return v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
