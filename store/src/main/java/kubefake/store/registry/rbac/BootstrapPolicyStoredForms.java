package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.request.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bootstrap policy's objects as the create path stores them, computed when kubefake is built (the store module's
 * {@code process-classes} phase runs {@link #main}, which writes {@code kubefake/rbac/bootstrap-policy.stored.json}
 * among the classes) and read by {@link BootstrapPolicy#ensure} on a first start.
 */
public final class BootstrapPolicyStoredForms {
    static final String RESOURCE = "/kubefake/rbac/bootstrap-policy.stored.json";

    private BootstrapPolicyStoredForms() {
    }

    /** Writes the stored forms to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (BootstrapPolicy.StoredForm f : compute()) {
            out.addObject().put("resource", f.resource()).put("namespace", f.namespace()).set("stored", f.stored());
        }
        Path file = Path.of(args[0]);
        Files.createDirectories(file.getParent());
        Files.write(file, Json.bytes(out));
    }

    /**
     * Each object of the policy created through the create path in a registry of its own, as the API server creates
     * it (its own user, no field manager named), and read back as stored.
     */
    static List<BootstrapPolicy.StoredForm> compute() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                ResourceCatalogue.builtIn());
        Set<String> namespaces = new LinkedHashSet<>();
        for (BootstrapPolicy.Entry e : BootstrapPolicy.entries()) if (!e.namespace().isEmpty()) namespaces.add(e.namespace());
        for (String ns : namespaces) {
            ObjectNode namespace = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", ns);
            registry.resource("", "namespaces").create("", namespace, RequestContext.LOOPBACK);
        }
        List<BootstrapPolicy.StoredForm> forms = new ArrayList<>();
        for (BootstrapPolicy.Entry e : BootstrapPolicy.entries()) {
            var store = registry.resource(RbacPolicy.GROUP, e.resource());
            store.create(e.namespace(), e.object().deepCopy(), RequestContext.LOOPBACK);
            forms.add(new BootstrapPolicy.StoredForm(e.resource(), e.namespace(),
                    Json.parseObject(store.get(e.namespace(), e.name()).json())));
        }
        return forms;
    }

    /** The stored forms computed when kubefake was built. */
    static List<BootstrapPolicy.StoredForm> read() {
        JsonNode all;
        try (InputStream in = BootstrapPolicyStoredForms.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the store module's build writes it (process-classes)");
            }
            all = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<BootstrapPolicy.StoredForm> forms = new ArrayList<>(all.size());
        for (JsonNode f : all) {
            forms.add(new BootstrapPolicy.StoredForm(f.path("resource").asText(), f.path("namespace").asText(),
                    (ObjectNode) f.get("stored")));
        }
        return forms;
    }
}
