package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.StoredObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet makes it: {@code envFrom} (ConfigMaps and Secrets, with their prefix),
 * then {@code env} (literal values with {@code $(VAR)} expanded, ConfigMap and Secret keys, the downward API), then
 * the service links ({@code KUBERNETES_SERVICE_HOST} ... for the {@code kubernetes} service, and for every service of
 * the pod's namespace that existed when the container started unless {@code enableServiceLinks} is false) for names
 * not already set.
 */
public final class ContainerEnvironment {
    /** What Kubernetes accepts as an environment variable name from envFrom (others are skipped, with an event). */
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final Registry registry;

    public ContainerEnvironment(Registry registry) {
        this.registry = registry;
    }

    /** The environment of {@code container} (its spec in {@code pod}) for a run started at {@code started}. */
    public Map<String, String> of(JsonNode pod, JsonNode container, Instant started) {
        String namespace = pod.path("metadata").path("namespace").asText();
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            Map<String, String> data = null;
            if (from.has("configMapRef")) {
                data = ConfigData.configMapText(registry, namespace, from.path("configMapRef").path("name").asText());
            } else if (from.has("secretRef")) {
                data = text(ConfigData.secret(registry, namespace, from.path("secretRef").path("name").asText()));
            }
            if (data == null) continue;
            data.forEach((key, value) -> {
                if (ENV_NAME.matcher(prefix + key).matches()) env.put(prefix + key, value);
            });
        }
        Map<String, String> services = serviceLinks(pod, namespace, started);
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            String value;
            if (e.has("valueFrom")) {
                value = valueFrom(pod, container, namespace, e.path("valueFrom"));
                if (value == null) continue;
            } else {
                Map<String, String> known = new LinkedHashMap<>(services);
                known.putAll(env);
                value = expand(e.path("value").asText(""), known);
            }
            env.put(name, value);
        }
        services.forEach(env::putIfAbsent);
        return env;
    }

    private String valueFrom(JsonNode pod, JsonNode container, String namespace, JsonNode from) {
        if (from.has("configMapKeyRef")) {
            JsonNode ref = from.path("configMapKeyRef");
            Map<String, String> data = ConfigData.configMapText(registry, namespace, ref.path("name").asText());
            return data == null ? null : data.get(ref.path("key").asText());
        }
        if (from.has("secretKeyRef")) {
            JsonNode ref = from.path("secretKeyRef");
            Map<String, String> data = text(ConfigData.secret(registry, namespace, ref.path("name").asText()));
            return data == null ? null : data.get(ref.path("key").asText());
        }
        if (from.has("fieldRef")) return DownwardApi.field(pod, from.path("fieldRef").path("fieldPath").asText());
        if (from.has("resourceFieldRef")) return DownwardApi.resource(container, from.path("resourceFieldRef"), DownwardApi.nodeAllocatable(registry, pod));
        return null;
    }

    /** A Secret's keys as the environment takes them (text), or null if it does not exist. */
    private static Map<String, String> text(Map<String, byte[]> data) {
        if (data == null) return null;
        Map<String, String> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    /** The docker-link style variables of the services the container can see. */
    private Map<String, String> serviceLinks(JsonNode pod, String namespace, Instant started) {
        Map<String, String> out = new LinkedHashMap<>();
        if (pod.path("spec").path("enableServiceLinks").asBoolean(true)) {
            for (StoredObject s : registry.resource("", "services").list(namespace, ListOptions.ALL).items()) {
                JsonNode svc = s.tree();
                String created = svc.path("metadata").path("creationTimestamp").asText("");
                if (!created.isEmpty() && Instant.parse(created).isAfter(started)) continue;
                if (namespace.equals("default") && svc.path("metadata").path("name").asText().equals("kubernetes")) continue;
                addService(out, svc);
            }
        }
        StoredObject master = registry.resource("", "services").find("default", "kubernetes");
        if (master != null) addService(out, master.tree());
        return out;
    }

    private static void addService(Map<String, String> out, JsonNode svc) {
        String ip = svc.path("spec").path("clusterIP").asText("");
        if (ip.isEmpty() || ip.equals("None")) return;
        JsonNode ports = svc.path("spec").path("ports");
        if (ports.isEmpty()) return;
        String name = envName(svc.path("metadata").path("name").asText());
        out.put(name + "_SERVICE_HOST", ip);
        out.put(name + "_SERVICE_PORT", ports.get(0).path("port").asText());
        for (JsonNode p : ports) {
            if (!p.path("name").asText("").isEmpty()) out.put(name + "_SERVICE_PORT_" + envName(p.path("name").asText()), p.path("port").asText());
        }
        JsonNode first = ports.get(0);
        out.put(name + "_PORT", protocol(first) + "://" + ip + ":" + first.path("port").asText());
        for (JsonNode p : ports) {
            String port = p.path("port").asText();
            String proto = protocol(p);
            String prefix = name + "_PORT_" + port + "_" + proto.toUpperCase(Locale.ROOT);
            out.put(prefix, proto + "://" + ip + ":" + port);
            out.put(prefix + "_PROTO", proto);
            out.put(prefix + "_PORT", port);
            out.put(prefix + "_ADDR", ip);
        }
    }

    private static String protocol(JsonNode port) {
        return port.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
    }

    private static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The container's command line as the kubelet gives it to the runtime: its {@code command}, then its {@code args},
     * each with {@code $(VAR)} of the container's environment expanded (empty: the image's own).
     */
    public static java.util.List<String> command(JsonNode spec, Map<String, String> env) {
        java.util.List<String> out = new java.util.ArrayList<>();
        spec.path("command").forEach(v -> out.add(expand(v.asText(), env)));
        spec.path("args").forEach(v -> out.add(expand(v.asText(), env)));
        return out;
    }

    /**
     * Kubernetes' expansion of {@code $(VAR)} in a value: a defined variable is replaced, {@code $$} is a literal
     * {@code $}, anything else stays as written.
     */
    static String expand(String value, Map<String, String> vars) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$' || i + 1 >= value.length()) {
                b.append(c);
                i++;
                continue;
            }
            char next = value.charAt(i + 1);
            if (next == '$') {
                b.append('$');
                i += 2;
            } else if (next == '(') {
                int close = value.indexOf(')', i + 2);
                if (close < 0) {
                    b.append(value, i, value.length());
                    break;
                }
                String name = value.substring(i + 2, close);
                String v = vars.get(name);
                b.append(v != null ? v : value.substring(i, close + 1));
                i = close + 1;
            } else {
                b.append(c).append(next);
                i += 2;
            }
        }
        return b.toString();
    }
}
