package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;

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
     * is left as it is, so a user's change survives a restart.
     */
    public static void ensure(Registry registry) {
        List<Entry> missing = entries().stream()
                .filter(e -> registry.resource(RbacPolicy.GROUP, e.resource()).find(e.namespace(), e.name()) == null).toList();
        if (missing.isEmpty()) return;
        // written from several threads so that a durable store's writes share their fsyncs (a fresh cluster has ~140)
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "rbac-bootstrap");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Entry e : missing) done.add(writers.submit(() -> create(registry, e)));
            for (java.util.concurrent.Future<?> f : done) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the RBAC bootstrap policy", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            writers.shutdown();
        }
    }

    private static void create(Registry registry, Entry e) {
        try {
            registry.resource(RbacPolicy.GROUP, e.resource()).create(e.namespace(), e.object().deepCopy(), RequestContext.LOOPBACK);
        } catch (StatusException ex) {
            // created meanwhile, or the namespace is not there yet: left as it is
            if (ex.code() != 409 && ex.code() != 404 && ex.code() != 403) throw ex;
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
