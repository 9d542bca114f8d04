package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceWatch;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The cluster's Roles, ClusterRoles, RoleBindings and ClusterRoleBindings as the RBAC authorizer reads them
 * (its listers and rule resolver): an immutable snapshot, built from the registry and built again after a watch
 * of any of the four resources reports a change. The rules that apply to one user in one namespace are resolved
 * once per snapshot and cached, so a request costs a cache lookup and the rule matches.
 */
public final class RbacPolicy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RbacPolicy.class);
    public static final String GROUP = "rbac.authorization.k8s.io";
    private static final int CACHE_LIMIT = 4096;

    /** A binding's subject (rbac/v1 Subject). */
    public record Subject(String kind, String name, String namespace) {
        /**
         * Whether the subject names the user (rbac's appliesToUser): users and groups by name, service accounts by
         * their {@code system:serviceaccount:NS:NAME} user, NS defaulting to the binding's namespace.
         */
        boolean appliesTo(UserInfo user, String bindingNamespace) {
            return switch (kind) {
                case "User" -> user.name().equals(name);
                case "Group" -> user.groups().contains(name);
                case "ServiceAccount" -> {
                    String ns = namespace.isEmpty() ? bindingNamespace : namespace;
                    yield !ns.isEmpty() && user.name().equals("system:serviceaccount:" + ns + ":" + name);
                }
                default -> false;
            };
        }

        /** describeSubject: {@code Group "system:masters"}, {@code ServiceAccount "NAME/NS"}. */
        String describe(String bindingNamespace) {
            if (kind.equals("ServiceAccount")) {
                return kind + " " + quote(name + "/" + (namespace.isEmpty() ? bindingNamespace : namespace));
            }
            return kind + " " + quote(name);
        }
    }

    /** A RoleBinding (namespace set) or ClusterRoleBinding. */
    public record Binding(String namespace, String name, String roleKind, String roleName, List<Subject> subjects) {
        static Binding of(ObjectNode o) {
            ObjectNode meta = Json.metadata(o);
            JsonNode ref = o.path("roleRef");
            List<Subject> subjects = new ArrayList<>();
            for (JsonNode s : o.path("subjects")) {
                subjects.add(new Subject(s.path("kind").asText(""), s.path("name").asText(""), s.path("namespace").asText("")));
            }
            return new Binding(meta.path("namespace").asText(""), meta.path("name").asText(""),
                    ref.path("kind").asText(""), ref.path("name").asText(""), subjects);
        }

        /** The source a rule is allowed by: {@code ClusterRoleBinding "x" of ClusterRole "y" to User "alice"}. */
        String describe(Subject subject) {
            String binding = namespace.isEmpty() ? "ClusterRoleBinding " + quote(name) : "RoleBinding " + quote(name + "/" + namespace);
            return binding + " of " + roleKind + " " + quote(roleName) + " to " + subject.describe(namespace);
        }
    }

    /**
     * A rule and the binding that grants it, with the reason an allowed request reports
     * ({@code RBAC: allowed by ClusterRoleBinding ...}), made once here rather than on every request.
     */
    public record GrantedRule(PolicyRule rule, String source, String allowedReason) {
        GrantedRule(PolicyRule rule, String source) {
            this(rule, source, "RBAC: allowed by " + source);
        }
    }

    /** The rules that apply to a user in a namespace, and the errors met resolving them (a missing role). */
    public record Rules(List<GrantedRule> rules, List<String> errors) {
    }

    private record CacheKey(String user, List<String> groups, String namespace) {
    }

    /** One consistent view of the four resources. */
    public static final class Snapshot {
        private final Map<String, ObjectNode> clusterRoles;
        private final Map<String, List<PolicyRule>> clusterRoleRules = new HashMap<>();
        private final Map<String, List<PolicyRule>> roleRules = new HashMap<>();
        private final List<Binding> clusterRoleBindings;
        private final Map<String, List<Binding>> roleBindings = new HashMap<>();
        private final Map<CacheKey, Rules> cache = new ConcurrentHashMap<>();

        Snapshot(List<ObjectNode> clusterRoles, List<ObjectNode> roles, List<ObjectNode> clusterRoleBindings,
                 List<ObjectNode> roleBindings) {
            this.clusterRoles = new LinkedHashMap<>();
            for (ObjectNode r : clusterRoles) {
                String name = Json.metadata(r).path("name").asText();
                this.clusterRoles.put(name, r);
                clusterRoleRules.put(name, PolicyRule.listOf(r.get("rules")));
            }
            for (ObjectNode r : roles) {
                ObjectNode meta = Json.metadata(r);
                roleRules.put(meta.path("namespace").asText() + "/" + meta.path("name").asText(), PolicyRule.listOf(r.get("rules")));
            }
            this.clusterRoleBindings = clusterRoleBindings.stream().map(Binding::of).toList();
            for (ObjectNode b : roleBindings) {
                Binding binding = Binding.of(b);
                this.roleBindings.computeIfAbsent(binding.namespace(), k -> new ArrayList<>()).add(binding);
            }
        }

        /** The ClusterRoles by name, as stored. */
        public Map<String, ObjectNode> clusterRoles() {
            return clusterRoles;
        }

        /**
         * The rules granted to the user in the namespace ("" for cluster-scoped requests): every ClusterRoleBinding
         * naming the user, then the namespace's RoleBindings (VisitRulesFor's order).
         */
        public Rules rulesFor(UserInfo user, String namespace) {
            CacheKey key = new CacheKey(user.name(), user.groups(), namespace);
            Rules cached = cache.get(key);
            if (cached != null) return cached;
            Rules resolved = resolve(user, namespace);
            if (cache.size() >= CACHE_LIMIT) cache.clear();
            cache.put(key, resolved);
            return resolved;
        }

        private Rules resolve(UserInfo user, String namespace) {
            List<GrantedRule> rules = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Binding b : clusterRoleBindings) collect(b, user, "", rules, errors);
            if (!namespace.isEmpty()) {
                for (Binding b : roleBindings.getOrDefault(namespace, List.of())) collect(b, user, namespace, rules, errors);
            }
            return new Rules(List.copyOf(rules), List.copyOf(errors));
        }

        private void collect(Binding b, UserInfo user, String namespace, List<GrantedRule> rules, List<String> errors) {
            Subject subject = null;
            for (Subject s : b.subjects()) {
                if (s.appliesTo(user, namespace)) {
                    subject = s;
                    break;
                }
            }
            if (subject == null) return;
            List<PolicyRule> granted = roleRules(b.roleKind(), b.roleName(), namespace, errors);
            if (granted == null) return;
            String source = b.describe(subject);
            for (PolicyRule r : granted) rules.add(new GrantedRule(r, source));
        }

        /** The rules of the role a binding in {@code namespace} references, or null when there is no such role. */
        public List<PolicyRule> referencedRules(String kind, String name, String namespace) {
            return switch (kind) {
                case "ClusterRole" -> clusterRoleRules.get(name);
                case "Role" -> roleRules.get(namespace + "/" + name);
                default -> null;
            };
        }

        /** GetRoleReferenceRules: the referenced role's rules, or null with the lister's error. */
        private List<PolicyRule> roleRules(String kind, String name, String namespace, List<String> errors) {
            switch (kind) {
                case "ClusterRole" -> {
                    List<PolicyRule> r = clusterRoleRules.get(name);
                    if (r == null) errors.add("clusterrole." + GROUP + " " + quote(name) + " not found");
                    return r;
                }
                case "Role" -> {
                    List<PolicyRule> r = roleRules.get(namespace + "/" + name);
                    if (r == null) errors.add("role." + GROUP + " " + quote(name) + " not found");
                    return r;
                }
                default -> {
                    errors.add("unsupported role reference kind: " + quote(kind));
                    return null;
                }
            }
        }
    }

    private static final List<String> RESOURCES = List.of("clusterroles", "roles", "clusterrolebindings", "rolebindings");

    private final Registry registry;
    private final ResourceWatch[] watches = new ResourceWatch[RESOURCES.size()];
    private volatile boolean dirty = true;
    private volatile Snapshot snapshot;
    private final AtomicBoolean refreshScheduled = new AtomicBoolean();
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rbac-policy");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public RbacPolicy(Registry registry) {
        this.registry = registry;
        refresh();
    }

    /** The current view; built again first when a watch reported a change since the last one. */
    public Snapshot snapshot() {
        if (dirty) refresh();
        return snapshot;
    }

    /** Called on the policy's own thread with each new snapshot (the ClusterRole aggregation controller). */
    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
        Snapshot s = snapshot;
        background.execute(() -> listener.accept(s));
    }

    private synchronized void refresh() {
        if (!dirty && snapshot != null) return;
        dirty = false; // a change arriving from here on marks it again
        List<List<ObjectNode>> lists = new ArrayList<>();
        for (int i = 0; i < RESOURCES.size(); i++) {
            ResourceStore store = registry.resource(GROUP, RESOURCES.get(i));
            ResourceWatch w = watches[i];
            if (w != null && !w.isClosed()) {
                while (!w.poll(1024).isEmpty()) {
                    // only the signal matters: the snapshot is built from a fresh list
                }
            }
            ListResult result = store.list(null, ListOptions.ALL);
            if (w == null || w.isClosed()) {
                if (w != null) w.close();
                ListOptions after = new ListOptions("", "", Long.toString(result.resourceVersion()), "", 0, null, 0, false, null);
                watches[i] = closed ? null : store.watch(null, after, this::changed, 10_000);
            }
            List<ObjectNode> objects = new ArrayList<>(result.items().size());
            for (StoredObject o : result.items()) objects.add(o.toNode());
            lists.add(objects);
        }
        snapshot = new Snapshot(lists.get(0), lists.get(1), lists.get(2), lists.get(3));
    }

    /** A watch has events: the next reader builds a new snapshot, and the listeners hear of it. */
    private void changed() {
        dirty = true;
        if (closed || listeners.isEmpty() || !refreshScheduled.compareAndSet(false, true)) return;
        background.execute(() -> {
            refreshScheduled.set(false);
            try {
                Snapshot s = snapshot();
                for (Consumer<Snapshot> l : listeners) l.accept(s);
            } catch (RuntimeException e) {
                LOG.warn("RBAC policy listeners failed", e);
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (ResourceWatch w : watches) if (w != null) w.close();
        background.shutdownNow();
    }

    static String quote(String s) {
        return kubefake.store.registry.errors.GoFormat.quote(s);
    }
}
