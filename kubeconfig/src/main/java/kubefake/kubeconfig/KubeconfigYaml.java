package kubefake.kubeconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import kubefake.certs.PkiFiles;

/**
 * Kubeconfig YAML as kubectl and kubeadm write it: Go serialises the config through JSON, so every
 * mapping has its keys in alphabetical order ({@code apiVersion, clusters, contexts, current-context,
 * kind, preferences, users}), empty optional fields are left out, and {@code *-data} fields are base64.
 */
public final class KubeconfigYaml {
    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KubeconfigYaml() {
    }

    /** Writes {@code config} to {@code file} atomically with mode 0600 (it usually holds a private key). */
    public static void write(Kubeconfig config, Path file) {
        PkiFiles.writeAtomically(file, toYaml(config).getBytes(StandardCharsets.UTF_8), PkiFiles.SECRET);
    }

    public static Kubeconfig read(Path file) {
        return parse(new String(PkiFiles.read(file), StandardCharsets.UTF_8));
    }

    public static String toYaml(Kubeconfig config) {
        try {
            return MAPPER.writeValueAsString(toTree(config));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a kubeconfig (YAML or JSON).
     *
     * @throws IllegalArgumentException when it is not a kubeconfig
     */
    public static Kubeconfig parse(String yaml) {
        JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a kubeconfig must be a YAML mapping");
        }
        String kind = text(root, "kind");
        if (kind != null && !kind.equals("Config")) {
            throw new IllegalArgumentException("kind is " + kind + ", expected Config");
        }
        return new Kubeconfig(
                list(root, "clusters", "cluster", (name, c) -> new Kubeconfig.NamedCluster(name, new Kubeconfig.Cluster(
                        text(c, "server") == null ? "" : text(c, "server"), data(c, "certificate-authority-data"),
                        text(c, "certificate-authority"), c.path("insecure-skip-tls-verify").asBoolean(false),
                        text(c, "tls-server-name")))),
                list(root, "contexts", "context", (name, c) -> new Kubeconfig.NamedContext(name, new Kubeconfig.Context(
                        orEmpty(text(c, "cluster")), orEmpty(text(c, "user")), text(c, "namespace")))),
                text(root, "current-context"),
                list(root, "users", "user", (name, u) -> new Kubeconfig.NamedUser(name, new Kubeconfig.User(
                        data(u, "client-certificate-data"), data(u, "client-key-data"), text(u, "client-certificate"),
                        text(u, "client-key"), text(u, "token")))));
    }

    /** A YAML (or JSON) document's tree as it is, unknown fields and all; null for an empty document. */
    static JsonNode tree(String yaml) throws IOException {
        return MAPPER.readTree(yaml);
    }

    /** A tree written as kubeconfig YAML. */
    static String write(JsonNode tree) throws JsonProcessingException {
        return MAPPER.writeValueAsString(tree);
    }

    static ObjectNode toTree(Kubeconfig config) {
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", "v1");
        root.set("clusters", array(config.clusters(), named -> {
            Kubeconfig.Cluster c = named.cluster();
            ObjectNode cluster = NODES.objectNode();
            putData(cluster, "certificate-authority", c.certificateAuthority());
            putData(cluster, "certificate-authority-data", c.certificateAuthorityData());
            if (c.insecureSkipTlsVerify()) {
                cluster.put("insecure-skip-tls-verify", true);
            }
            cluster.put("server", c.server());
            putData(cluster, "tls-server-name", c.tlsServerName());
            return named(named.name(), "cluster", cluster);
        }));
        root.set("contexts", array(config.contexts(), named -> {
            Kubeconfig.Context c = named.context();
            ObjectNode context = NODES.objectNode();
            context.put("cluster", c.cluster());
            putData(context, "namespace", c.namespace());
            context.put("user", c.user());
            return named(named.name(), "context", context);
        }));
        root.put("current-context", config.currentContext());
        root.put("kind", "Config");
        root.set("preferences", NODES.objectNode());
        root.set("users", array(config.users(), named -> {
            Kubeconfig.User u = named.user();
            ObjectNode user = NODES.objectNode();
            putData(user, "client-certificate", u.clientCertificate());
            putData(user, "client-certificate-data", u.clientCertificateData());
            putData(user, "client-key", u.clientKey());
            putData(user, "client-key-data", u.clientKeyData());
            putData(user, "token", u.token());
            return named(named.name(), "user", user);
        }));
        return root;
    }

    /** A named entry, its two keys in alphabetical order as Go writes them ({@code cluster, name} but {@code name, user}). */
    private static ObjectNode named(String name, String field, ObjectNode value) {
        ObjectNode entry = NODES.objectNode();
        if (field.compareTo("name") < 0) {
            entry.set(field, value);
            entry.put("name", name);
        } else {
            entry.put("name", name);
            entry.set(field, value);
        }
        return entry;
    }

    private static <T> ArrayNode array(List<T> items, Function<T, ObjectNode> toNode) {
        ArrayNode array = NODES.arrayNode();
        items.forEach(item -> array.add(toNode.apply(item)));
        return array;
    }

    private static void putData(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static void putData(ObjectNode node, String field, byte[] value) {
        if (value != null && value.length > 0) {
            node.put(field, Base64.getEncoder().encodeToString(value));
        }
    }

    private interface EntryReader<T> {
        T read(String name, JsonNode value);
    }

    private static <T> List<T> list(JsonNode root, String field, String valueField, EntryReader<T> reader) {
        List<T> result = new ArrayList<>();
        JsonNode entries = root.path(field);
        if (entries.isMissingNode() || entries.isNull()) {
            return result;
        }
        if (!entries.isArray()) {
            throw new IllegalArgumentException(field + " must be a list");
        }
        for (JsonNode entry : entries) {
            String name = text(entry, "name");
            if (name == null) {
                throw new IllegalArgumentException("an entry of " + field + " has no name");
            }
            result.add(reader.read(name, entry.path(valueField)));
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static byte[] data(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not valid base64", e);
        }
    }
}
