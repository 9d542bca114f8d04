package kubefake.server.api;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import kubefake.store.registry.request.UserInfo;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.RequestTarget;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.StatusException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.fieldvalidation.FieldValidation.Directive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The request's parts as a client can send them, in any combination: a request target either reads (path and
 * query as Go's net/http reads them) or is unreadable; query options decode to values or to a Status error;
 * bodies of any bytes and content type decode to an object or to a Status error. Nothing else may escape, or the
 * client would get a 500 InternalError. Fixed seeds, a few seconds.
 */
class RequestParsingPropertyTest {
    private static final ResourceType CONFIGMAPS = type("configmaps");
    private static final ResourceType PODS = type("pods");
    private static final List<String> TARGET_PIECES = List.of("/", "/api", "/v1", "/namespaces", "/x", "%", "%z",
            "%zz", "%2F", "%41", "%e9", "%C3%A9", "?", "&", "=", ";", "+", "#", "a", "é", " ", "*", "http:", "//", "..",
            "\u0001", "\u007f", "watch=1", "limit=", "%%");
    private static final List<String> PARAMS = List.of("watch", "limit", "timeoutSeconds", "resourceVersion",
            "resourceVersionMatch", "continue", "labelSelector", "fieldSelector", "dryRun", "fieldManager",
            "fieldValidation", "propagationPolicy", "gracePeriodSeconds", "orphanDependents", "force", "includeObject",
            "allowWatchBookmarks", "sendInitialEvents");
    private static final List<String> VALUES = List.of("", "0", "1", "-1", "+1", "true", "True", "FALSE", "x", "All",
            "Foo", "Exact", "NotOlderThan", "Strict", "Warn", "Ignore", "Orphan", "Background", "None", "Object",
            "Metadata", "99999999999999999999", "-9223372036854775808", "9223372036854775808", "1e3", "%zz", "%07",
            "%C3%A9", "a=b", "a%2Cb", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhXHUwMDAwIn0", "e30", "W10",
            "bnVsbA", "=", "x".repeat(129));
    private static final List<String> CONTENT_TYPES = List.of("", "application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf", "text/plain", "application/json; charset=utf-8", ";", "a/b/c");
    private static final List<String> BODY_PIECES = List.of("{", "}", "[", "]", ",", ":", "\"", "\"kind\"",
            "\"apiVersion\"", "\"v1\"", "\"ConfigMap\"", "\"metadata\"", "\"name\"", "\"x\"", "\"data\"", "1", "-1", "1.5",
            "1e99999", "true", "null", "\"\\u0000\"", "\\", " ", "\n", "- ", "a: b", "---", "\ufeff", "k8s\u0000",
            "\"gracePeriodSeconds\"", "\"dryRun\"", "\"preconditions\"", "\"propagationPolicy\"", "\"labels\"",
            "\"op\"", "\"add\"", "\"remove\"", "\"test\"", "\"path\"", "\"/data/k\"", "\"/metadata/labels\"", "\"value\"",
            "\"$patch\"", "\"delete\"", "\"$retainKeys\"", "\"$setElementOrder/finalizers\"", "\"finalizers\"");

    private static ResourceType type(String resource) {
        return ResourceCatalogue.builtIn().entries().stream().map(ResourceCatalogue.Entry::type)
                .filter(t -> t.group().isEmpty() && t.resource().equals(resource)).findFirst().orElseThrow();
    }

    @Provide
    Arbitrary<String> targets() {
        return Arbitraries.of(TARGET_PIECES).list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> pair = Arbitraries.of(PARAMS).flatMap(p -> Arbitraries.of(VALUES).map(v -> p + "=" + v));
        return Arbitraries.oneOf(pair, Arbitraries.of(PARAMS), Arbitraries.of(VALUES)).list().ofMaxSize(6)
                .map(pairs -> String.join("&", pairs));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> fromPieces = Arbitraries.of(BODY_PIECES).list().ofMaxSize(16)
                .map(parts -> String.join("", parts).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> documents = json(3).map(text -> text.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, fromPieces), net.jqwik.api.Tuple.of(1, raw),
                net.jqwik.api.Tuple.of(4, documents));
    }

    /**
     * Well-formed JSON with the keys objects and patches use and values of every shape. Numbers stay within what a
     * double holds: beyond it ({@code 1e99999}) is the typed decoder's case, tested with it.
     */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> leaf = Arbitraries.of("null", "true", "0", "-1", "1.5", "9223372036854775808", "\"\"", "\"x\"",
                "\"v1\"", "\"ConfigMap\"", "\"add\"", "\"/data/k\"", "\"delete\"", "\"replace\"", "\"All\"");
        if (depth == 0) return leaf;
        Arbitrary<String> inner = json(depth - 1);
        Arbitrary<String> array = inner.list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> member = Arbitraries.of("kind", "apiVersion", "metadata", "name", "labels", "data", "op",
                "path", "from", "value", "$patch", "$retainKeys", "$setElementOrder/finalizers", "finalizers",
                "$deleteFromPrimitiveList/finalizers", "gracePeriodSeconds", "dryRun", "preconditions", "uid")
                .flatMap(key -> inner.map(v -> "\"" + key + "\":" + v));
        Arbitrary<String> object = member.list().ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}");
        return Arbitraries.oneOf(leaf, array, object, object);
    }

    @Property(tries = 1500, seed = "31", edgeCases = EdgeCasesMode.NONE)
    void aRequestTargetReadsOrIsUnreadable(@ForAll("targets") String target) {
        try {
            RequestTarget t = RequestTarget.parse(target);
            assertNotNull(t.path());
            assertNotNull(t.query());
        } catch (RequestTarget.MalformedException unreadable) {
            // answered with a plain 400, as Go's server does
        }
    }

    @Property(tries = 1500, seed = "32", edgeCases = EdgeCasesMode.NONE)
    void queryOptionsDecodeOrAreAStatusError(@ForAll("queries") String query) throws Exception {
        ApiRequest req = request(RequestTarget.parse("/api/v1/namespaces/x/configmaps?" + query), "", new byte[0]);
        statusOnly(query, () -> RequestOptions.watch(req));
        statusOnly(query, () -> RequestOptions.list(req));
        statusOnly(query, () -> RequestOptions.create(req));
        statusOnly(query, () -> RequestOptions.update(req, null));
        statusOnly(query, () -> RequestOptions.patch(req, "status"));
        statusOnly(query, () -> RequestOptions.delete(req));
        statusOnly(query, () -> RequestOptions.includeObject(req));
        statusOnly(query, () -> {
            RequestOptions.checkGet(req);
            return null;
        });
    }

    @Property(tries = 1500, seed = "33", edgeCases = EdgeCasesMode.NONE)
    void bodiesDecodeOrAreAStatusError(@ForAll("bodies") byte[] body, @ForAll("contentTypes") String contentType)
            throws Exception {
        String shown = contentType + " " + new String(body, StandardCharsets.UTF_8);
        statusOnly(shown, () -> BodyDecoder.decode(contentType, body, CONFIGMAPS));
        statusOnly(shown, () -> BodyDecoder.decode(contentType, body, PODS));
        ApiRequest delete = request(RequestTarget.parse("/api/v1/namespaces/x/configmaps/y?gracePeriodSeconds=x"), contentType, body);
        statusOnly(shown, () -> RequestOptions.delete(delete));
    }

    @Property(tries = 1000, seed = "34", edgeCases = EdgeCasesMode.NONE)
    void patchesApplyOrAreAStatusError(@ForAll("bodies") byte[] body, @ForAll("patchTypes") String contentType,
                                       @ForAll Directive directive) throws Exception {
        String shown = contentType + " " + directive + " " + new String(body, StandardCharsets.UTF_8);
        ApiRequest req = request(RequestTarget.parse("/api/v1/namespaces/x/configmaps/y"), contentType, body);
        ObjectNode current = (ObjectNode) Json.MAPPER.readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"y\",\"namespace\":\"x\",\"labels\":{\"a\":\"b\"}},\"data\":{\"k\":\"v\"}}");
        statusOnly(shown, () -> ResourceHandler.patched(req, CONFIGMAPS, current.deepCopy(), directive));
    }

    @Provide
    Arbitrary<String> patchTypes() {
        return Arbitraries.of("application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of(CONTENT_TYPES);
    }

    private static ApiRequest request(RequestTarget target, String contentType, byte[] body) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        if (!contentType.isEmpty()) headers.set("Content-Type", contentType);
        return new ApiRequest(HttpMethod.DELETE, target.path(), target.query(), headers, body, UserInfo.ANONYMOUS);
    }

    private static void statusOnly(String input, Supplier<?> action) {
        try {
            action.get();
        } catch (StatusException refused) {
            // the client gets this Status
        } catch (RuntimeException | StackOverflowError e) {
            fail("not a Status error for " + input, e);
        }
    }
}
