package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Roles, ClusterRoles and bindings a kubeadm 1.33 cluster starts with (kube-apiserver's bootstrap policy and
 * kubeadm's own), read from {@code kubefake/rbac/bootstrap-policy.txt}, whose header documents the format.
 */
public final class BootstrapPolicy {
    private static final String RESOURCE = "/kubefake/rbac/bootstrap-policy.txt";
    /** One object and the resource it is stored in. */
    public record Entry(String resource, String namespace, ObjectNode object) {
        public String name() {
            return Json.metadata(object).path("name").asText();
        }
    }

    private static volatile List<Entry> entries;

    private BootstrapPolicy() {
    }

    public static List<Entry> entries() {
        List<Entry> e = entries;
        if (e == null) entries = e = List.copyOf(parse(read()));
        return e;
    }

    /**
     * Creates the objects that are missing (the API server's RBAC bootstrap hook, and kubeadm's init); what exists
     * is left as it is, so a user's change survives a restart. They are stored as the create path stored them when
     * kubefake was built ({@link BootstrapPolicyStoredForms}): a fresh cluster's 147 objects, constant but for their
     * uid and time, no longer go through defaulting, the Go round trip, the field manager and validation in a cold JVM
     * on every first start (~0.2 s of its two cores). One after the other on the calling thread: a caller whose store
     * waits for a commit log defers its durability around this, so that they share one fsync.
     */
    public static void ensure(Registry registry) {
        for (StoredForm f : BootstrapPolicyStoredForms.read()) {
            ResourceStore store = registry.resource(RbacPolicy.GROUP, f.resource());
            if (store.find(f.namespace(), f.name()) == null) store.createAsStored(f.namespace(), f.stored());
        }
    }

    /** One object of the policy as the create path stores it, and where. */
    record StoredForm(String resource, String namespace, ObjectNode stored) {
        String name() {
            return Json.metadata(stored).path("name").asText();
        }
    }

    private static String read() {
        try (InputStream in = BootstrapPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        boolean bootstrap = true;
        ObjectNode current = null;
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> f = Arrays.asList(line.split("\\s+"));
            switch (f.get(0)) {
                case "[bootstrap]" -> bootstrap = true;
                case "[kubeadm]" -> bootstrap = false;
                case "clusterrole" -> {
                    current = object("ClusterRole", f.get(1), null, bootstrap);
                    for (String label : f.subList(2, f.size())) labels(current).put(before(label), after(label));
                    out.add(new Entry("clusterroles", "", current));
                }
                case "role" -> {
                    current = object("Role", f.get(2), f.get(1), bootstrap);
                    out.add(new Entry("roles", f.get(1), current));
                }
                case "rule", "url" -> {
                    if (current == null) throw new IllegalStateException(RESOURCE + ":" + lineNo + ": a rule outside a role");
                    ArrayNode rules = current.has("rules") ? (ArrayNode) current.get("rules") : current.putArray("rules");
                    ObjectNode rule = rules.addObject();
                    if (f.get(0).equals("url")) {
                        list(rule, "nonResourceURLs", f.get(2));
                    } else {
                        list(rule, "apiGroups", f.get(2));
                        if (f.size() > 4) list(rule, "resourceNames", f.get(4));
                        list(rule, "resources", f.get(3));
                    }
                    list(rule, "verbs", f.get(1));
                }
                case "aggregate" -> {
                    ObjectNode selector = current.with("aggregationRule").withArray("clusterRoleSelectors").addObject();
                    selector.putObject("matchLabels").put(before(f.get(1)), after(f.get(1)));
                    current.putArray("rules");
                }
                case "clusterrolebinding" -> {
                    current = null;
                    out.add(new Entry("clusterrolebindings", "", binding("ClusterRoleBinding", f.get(1), null, f.subList(2, f.size()), bootstrap)));
                }
                case "rolebinding" -> {
                    current = null;
                    out.add(new Entry("rolebindings", f.get(1), binding("RoleBinding", f.get(2), f.get(1), f.subList(3, f.size()), bootstrap)));
                }
                default -> throw new IllegalStateException(RESOURCE + ":" + lineNo + ": " + line);
            }
        }
        return out;
    }

    private static ObjectNode binding(String kind, String name, String namespace, List<String> f, boolean bootstrap) {
        ObjectNode b = object(kind, name, namespace, bootstrap);
        String role = f.get(0);
        b.putObject("roleRef").put("apiGroup", RbacPolicy.GROUP).put("kind", before(role, '/')).put("name", after(role, '/'));
        if (f.size() > 1) {
            ArrayNode subjects = b.putArray("subjects");
            for (String s : f.subList(1, f.size())) {
                String subjectKind = before(s, ':');
                String subjectName = after(s, ':');
                ObjectNode subject = subjects.addObject();
                if (subjectKind.equals("ServiceAccount")) {
                    subject.put("kind", subjectKind).put("name", after(subjectName, '/')).put("namespace", before(subjectName, '/'));
                } else {
                    subject.put("apiGroup", RbacPolicy.GROUP).put("kind", subjectKind).put("name", subjectName);
                }
            }
        }
        return b;
    }

    private static ObjectNode object(String kind, String name, String namespace, boolean bootstrap) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", RbacPolicy.GROUP + "/v1").put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        if (bootstrap) {
            meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
            meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        }
        return o;
    }

    private static ObjectNode labels(ObjectNode o) {
        return Json.metadata(o).with("labels");
    }

    private static void list(ObjectNode rule, String field, String commaSeparated) {
        ArrayNode a = rule.putArray(field);
        for (String v : commaSeparated.split(",")) a.add(v.equals("\"\"") ? "" : v);
    }

    private static String before(String s) {
        return before(s, '=');
    }

    private static String after(String s) {
        return after(s, '=');
    }

    private static String before(String s, char c) {
        return s.substring(0, s.indexOf(c));
    }

    private static String after(String s, char c) {
        return s.substring(s.indexOf(c) + 1);
    }
}
