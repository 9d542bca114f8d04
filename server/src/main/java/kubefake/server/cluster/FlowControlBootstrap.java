package kubefake.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * API Priority and Fairness' bootstrap configuration (apiserver's {@code apis/flowcontrol/bootstrap}): the
 * PriorityLevelConfigurations and FlowSchemas a 1.33 API server writes when it starts (data in
 * {@code bootstrap/flowcontrol-v1.json}), each FlowSchema's {@code Dangling} condition saying whether its priority
 * level exists. The mandatory ones ({@code exempt}, {@code catch-all}) are put back when deleted, as the real
 * configuration controller does. kubefake serves these objects; it does not queue requests by them.
 */
public final class FlowControlBootstrap {
    private static final String FLOW_SCHEMAS = "flowschemas";
    private static final String PRIORITY_LEVELS = "prioritylevelconfigurations";
    private static final String GROUP = "flowcontrol.apiserver.k8s.io";
    private static final JsonNode CONFIGURATION = load();

    private FlowControlBootstrap() {
    }

    private static JsonNode load() {
        try (InputStream in = FlowControlBootstrap.class.getResourceAsStream("/bootstrap/flowcontrol-v1.json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every bootstrap object that is missing (a restart finds them stored). */
    public static void ensureAll(Registry registry, Instant now) {
        ensure(registry, now, false);
    }

    /** Puts back the mandatory objects that were deleted. */
    public static void ensureMandatory(Registry registry, Instant now) {
        ensure(registry, now, true);
    }

    private static void ensure(Registry registry, Instant now, boolean mandatoryOnly) {
        ResourceStore levels = registry.resource(GROUP, PRIORITY_LEVELS);
        ResourceStore schemas = registry.resource(GROUP, FLOW_SCHEMAS);
        for (JsonNode level : CONFIGURATION.path("priorityLevelConfigurations")) {
            if (!mandatoryOnly || mandatory(level)) createIfMissing(levels, (ObjectNode) level.deepCopy(), null);
        }
        for (JsonNode schema : CONFIGURATION.path("flowSchemas")) {
            if (!mandatoryOnly || mandatory(schema)) {
                ObjectNode s = schema.deepCopy();
                String level = s.path("spec").path("priorityLevelConfiguration").path("name").asText();
                createIfMissing(schemas, s, danglingStatus(level, levels.find("", level) != null, now));
            }
        }
    }

    private static boolean mandatory(JsonNode object) {
        String name = object.path("metadata").path("name").asText();
        for (JsonNode m : CONFIGURATION.path("mandatory")) if (m.asText().equals(name)) return true;
        return false;
    }

    /** The status the configuration controller gives a FlowSchema. */
    private static ObjectNode danglingStatus(String level, boolean exists, Instant now) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.putArray("conditions").addObject().put("type", "Dangling").put("status", exists ? "False" : "True")
                .put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)))
                .put("reason", exists ? "Found" : "NotFound")
                .put("message", exists
                        ? "This FlowSchema references the PriorityLevelConfiguration object named \"" + level + "\" and it exists"
                        : "This FlowSchema references the PriorityLevelConfiguration object named \"" + level
                                + "\" but there is no such object");
        return status;
    }

    private static void createIfMissing(ResourceStore store, ObjectNode object, ObjectNode status) {
        String name = Json.text(Json.metadata(object), "name");
        if (store.find("", name) != null) return;
        try {
            ObjectNode created = store.create("", object, RequestContext.LOOPBACK).toNode();
            if (status != null) {
                created.set("status", status);
                store.update("", name, created, RequestContext.LOOPBACK.withSubresource("status"));
            }
        } catch (StatusException e) {
            if (e.code() != 409) throw e;
        }
    }
}
