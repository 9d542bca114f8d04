package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what under the bootstrap policy plus a few bindings, as Kubernetes' RBAC documents it: subjects ×
 * verbs × resources × namespaces, aggregated roles, subresources, resourceNames, non-resource URLs, wildcards.
 */
class RbacAuthorizerTest {
    static final UserInfo ALICE = new UserInfo("alice", "", List.of("devs", UserInfo.AUTHENTICATED));
    static final UserInfo BOB = new UserInfo("bob", "", List.of("devs", UserInfo.AUTHENTICATED));
    static final UserInfo CAROL = new UserInfo("carol", "", List.of(UserInfo.AUTHENTICATED));
    static final UserInfo DAVE = new UserInfo("dave", "", List.of(UserInfo.AUTHENTICATED));
    static final UserInfo MASTER = new UserInfo("root", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED));
    static final UserInfo KUBEADM_ADMIN = new UserInfo("kubernetes-admin", "", List.of("kubeadm:cluster-admins", UserInfo.AUTHENTICATED));
    static final UserInfo BUILDER = new UserInfo("system:serviceaccount:dev:builder", "",
            List.of("system:serviceaccounts", "system:serviceaccounts:dev", UserInfo.AUTHENTICATED));

    Registry registry;
    RbacPolicy policy;
    RbacAuthorizer authorizer;

    @BeforeEach
    void setUp() {
        registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        for (String ns : List.of("default", "kube-system", "kube-public", "dev", "prod")) {
            registry.resource("", "namespaces").create("", Json.parseObject(
                    ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}").getBytes()), RequestContext.LOOPBACK);
        }
        BootstrapPolicy.ensure(registry);
        policy = new RbacPolicy(registry);
        ClusterRoleAggregation aggregation = new ClusterRoleAggregation(registry);
        for (int i = 0; i < 4; i++) aggregation.sync(policy.snapshot()); // view → edit → admin settle
        authorizer = new RbacAuthorizer(policy);
        create("rolebindings", "dev", binding("RoleBinding", "alice-view", "dev", "ClusterRole", "view", "User", "alice"));
        create("roles", "dev", role("Role", "web-reader", "dev",
                "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"resourceNames\":[\"web\"]}"));
        create("rolebindings", "dev", binding("RoleBinding", "devs-web", "dev", "Role", "web-reader", "Group", "devs"));
        create("clusterrolebindings", "", binding("ClusterRoleBinding", "carol-edit", null, "ClusterRole", "edit", "User", "carol"));
        create("rolebindings", "prod", binding("RoleBinding", "dave-admin", "prod", "ClusterRole", "admin", "User", "dave"));
        ObjectNode sa = binding("RoleBinding", "builder", "dev", "ClusterRole", "edit", "ServiceAccount", "builder");
        create("rolebindings", "dev", sa);
        create("rolebindings", "dev", binding("RoleBinding", "ghost", "dev", "Role", "ghost", "User", "eve"));
    }

    @AfterEach
    void tearDown() {
        policy.close();
    }

    @ParameterizedTest(name = "{0} {1} {2}/{3} in [{4}] named [{5}]: {6}")
    @CsvSource(nullValues = "-", value = {
            // a RoleBinding to the aggregated view role: reads in its namespace only, no secrets, pods/log included
            "alice, list, '', pods, dev, -, true",
            "alice, get, '', pods, dev, web, true",
            "alice, watch, apps, deployments, dev, -, true",
            "alice, get, apps, deployments/scale, dev, web, true",
            "alice, get, '', pods/log, dev, web, true",
            "alice, list, '', pods, prod, -, false",
            "alice, list, '', pods, -, -, false",
            "alice, create, '', pods, dev, -, false",
            "alice, get, '', secrets, dev, s, false",
            "alice, create, '', pods/exec, dev, web, false",
            // a Role with resourceNames, bound to a group
            "bob, get, '', pods, dev, web, true",
            "bob, get, '', pods, dev, db, false",
            "bob, list, '', pods, dev, -, false",
            "bob, delete, '', pods, dev, web, false",
            // a ClusterRoleBinding to edit: everywhere, subresources, but not RBAC itself
            "carol, create, apps, deployments, prod, -, true",
            "carol, update, apps, deployments/scale, kube-system, web, true",
            "carol, create, '', pods/exec, dev, web, true",
            "carol, get, '', secrets, prod, s, true",
            "carol, create, rbac.authorization.k8s.io, rolebindings, dev, -, false",
            "carol, list, '', nodes, -, -, false",
            "carol, create, '', namespaces, -, -, false",
            // admin in one namespace: RBAC of that namespace too
            "dave, create, rbac.authorization.k8s.io, rolebindings, prod, -, true",
            "dave, delete, '', pods, prod, web, true",
            "dave, create, rbac.authorization.k8s.io, rolebindings, dev, -, false",
            "dave, delete, '', namespaces, -, prod, false",
            // a service account subject without a namespace means the binding's namespace
            "builder, create, apps, deployments, dev, -, true",
            "builder, create, apps, deployments, prod, -, false",
            // system:masters and admin.conf's group
            "root, delete, '', nodes, -, w1-k8s, true",
            "root, escalate, rbac.authorization.k8s.io, clusterroles, -, -, true",
            "kubernetes-admin, delete, '', namespaces, -, prod, true",
            "kubernetes-admin, create, apps, deployments/scale, dev, x, true",
            // system:basic-user for every authenticated user
            "dave, create, authorization.k8s.io, selfsubjectaccessreviews, -, -, true",
            "dave, create, authorization.k8s.io, subjectaccessreviews, -, -, false",
    })
    void resourceMatrix(String user, String verb, String group, String resource, String namespace, String name, boolean allowed) {
        String[] r = resource.split("/");
        AuthorizationAttributes a = AuthorizationAttributes.resource(user(user), verb, group, r[0], r.length > 1 ? r[1] : "",
                namespace, name);
        assertEquals(allowed, authorizer.authorize(a).allowed(), a.toString());
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
            "alice, get, /healthz, true",
            "alice, get, /version, true",
            "alice, get, /apis/apps/v1, true",
            "alice, get, /openapi/v3, true",
            "alice, get, /metrics, false",
            "alice, post, /healthz, false",
            "anonymous, get, /version, true",
            "anonymous, get, /readyz, true",
            "anonymous, get, /healthz/etcd, false",
            "anonymous, get, /api, false",
            "root, get, /metrics, true",
            "kubernetes-admin, delete, /anything, true",
    })
    void nonResourceUrls(String user, String verb, String path, boolean allowed) {
        assertEquals(allowed, authorizer.authorize(AuthorizationAttributes.nonResource(user(user), verb, path)).allowed());
    }

    @Test
    void anAllowedRequestNamesTheBindingAndARefusalHasNoReason() {
        Decision allowed = authorizer.authorize(AuthorizationAttributes.resource(ALICE, "list", "", "pods", "", "dev", ""));
        assertEquals("RBAC: allowed by RoleBinding \"alice-view/dev\" of ClusterRole \"view\" to User \"alice\"", allowed.reason());
        Decision sa = authorizer.authorize(AuthorizationAttributes.resource(BUILDER, "create", "apps", "deployments", "", "dev", ""));
        assertEquals("RBAC: allowed by RoleBinding \"builder/dev\" of ClusterRole \"edit\" to ServiceAccount \"builder/dev\"", sa.reason());
        AuthorizationAttributes denied = AuthorizationAttributes.resource(ALICE, "list", "", "pods", "", "prod", "");
        Decision d = authorizer.authorize(denied);
        assertFalse(d.allowed());
        assertEquals("", d.reason());
        assertEquals("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"prod\"",
                Authorizer.forbidden(denied, d).getMessage());
    }

    @Test
    void aRefusedPathIsSanitizedAsTheRealMessageIs() {
        AuthorizationAttributes a = AuthorizationAttributes.nonResource(ALICE, "get", "/<b>&");
        assertEquals("forbidden: User \"alice\" cannot get path \"/&lt;b&gt;&amp;\"", Authorizer.forbidden(a, authorizer.authorize(a)).getMessage());
    }

    @Test
    void aBindingToAMissingRoleIsTheRefusalsReason() {
        UserInfo eve = new UserInfo("eve", "", List.of(UserInfo.AUTHENTICATED));
        AuthorizationAttributes a = AuthorizationAttributes.resource(eve, "get", "", "pods", "", "dev", "x");
        Decision d = authorizer.authorize(a);
        assertFalse(d.allowed());
        assertEquals("RBAC: role.rbac.authorization.k8s.io \"ghost\" not found", d.reason());
        assertEquals("pods \"x\" is forbidden: User \"eve\" cannot get resource \"pods\" in API group \"\" in the namespace "
                + "\"dev\": RBAC: role.rbac.authorization.k8s.io \"ghost\" not found", Authorizer.forbidden(a, d).getMessage());
    }

    @Test
    void aggregatedRolesCarryTheRulesOfTheRolesTheySelect() {
        ObjectNode view = policy.snapshot().clusterRoles().get("view");
        ObjectNode edit = policy.snapshot().clusterRoles().get("edit");
        ObjectNode admin = policy.snapshot().clusterRoles().get("admin");
        assertEquals(registry.resource(RbacPolicy.GROUP, "clusterroles").get("", "system:aggregate-to-view").toNode().get("rules"),
                view.get("rules"));
        // edit = its own aggregate plus view's rules; admin = edit's plus its own
        assertEquals(view.get("rules").size() + 13, edit.get("rules").size(), edit.toString());
        assertEquals(edit.get("rules").size() + 2, admin.get("rules").size());
        // a new role labelled for view reaches view, edit and admin
        create("clusterroles", "", Json.parseObject(("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\","
                + "\"metadata\":{\"name\":\"widgets-view\",\"labels\":{\"rbac.authorization.k8s.io/aggregate-to-view\":\"true\"}},"
                + "\"rules\":[{\"verbs\":[\"get\"],\"apiGroups\":[\"example.com\"],\"resources\":[\"widgets\"]}]}").getBytes()));
        ClusterRoleAggregation aggregation = new ClusterRoleAggregation(registry);
        for (int i = 0; i < 3; i++) aggregation.sync(policy.snapshot());
        assertTrue(authorizer.authorize(AuthorizationAttributes.resource(DAVE, "get", "example.com", "widgets", "", "prod", "w")).allowed());
        assertTrue(authorizer.authorize(AuthorizationAttributes.resource(ALICE, "get", "example.com", "widgets", "", "dev", "w")).allowed());
    }

    @Test
    void aDeletedBindingTakesItsPermissionsWith() throws InterruptedException {
        AuthorizationAttributes a = AuthorizationAttributes.resource(ALICE, "list", "", "pods", "", "dev", "");
        assertTrue(authorizer.authorize(a).allowed());
        registry.resource(RbacPolicy.GROUP, "rolebindings").delete("dev", "alice-view", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (authorizer.authorize(a).allowed() && System.nanoTime() < deadline) Thread.sleep(5);
        assertFalse(authorizer.authorize(a).allowed());
    }

    @Test
    void validationRefusesWhatTheRealServerRefuses() {
        StatusException e = assertThrows(StatusException.class, () -> create("roles", "dev", role("Role", "bad", "dev",
                "{\"verbs\":[],\"nonResourceURLs\":[\"/x\"]}")));
        assertEquals(422, e.code());
        assertEquals("Role.rbac.authorization.k8s.io \"bad\" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, "
                + "rules[0].nonResourceURLs: Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs]", e.getMessage());
        StatusException ref = assertThrows(StatusException.class, () -> registry.resource(RbacPolicy.GROUP, "rolebindings")
                .patch("dev", "alice-view", o -> {
                    ((ObjectNode) o.get("roleRef")).put("name", "edit");
                    return o;
                }, RequestContext.LOOPBACK));
        assertEquals("RoleBinding.rbac.authorization.k8s.io \"alice-view\" is invalid: roleRef: Invalid value: "
                + "rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef", ref.getMessage());
    }

    @Test
    void nobodyGrantsWhatTheyDoNotHold() {
        registry.useAdmission(registry.admission().withValidating(new Escalation(authorizer)));
        RequestContext dave = RequestContext.of(DAVE);
        var roles = registry.resource(RbacPolicy.GROUP, "roles");
        var bindings = registry.resource(RbacPolicy.GROUP, "rolebindings");
        // admin of prod may make roles within what it holds, and bind what it holds
        roles.create("prod", role("Role", "pod-reader", "prod", "{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}"), dave);
        bindings.create("prod", binding("RoleBinding", "x-view", "prod", "ClusterRole", "view", "User", "x"), dave);
        StatusException role = assertThrows(StatusException.class, () -> roles.create("prod", role("Role", "node-reader", "prod",
                "{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"nodes\",\"pods\"]}"), dave));
        assertEquals(403, role.code());
        assertEquals("roles.rbac.authorization.k8s.io \"node-reader\" is forbidden: user \"dave\" (groups=[\"system:authenticated\"]) "
                + "is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"list\"]}",
                role.getMessage());
        StatusException bind = assertThrows(StatusException.class, () ->
                bindings.create("prod", binding("RoleBinding", "x-admin", "prod", "ClusterRole", "cluster-admin", "User", "x"), dave));
        assertEquals("rolebindings.rbac.authorization.k8s.io \"x-admin\" is forbidden: user \"dave\" (groups=[\"system:authenticated\"]) "
                + "is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n"
                + "{NonResourceURLs:[\"*\"], Verbs:[\"*\"]}", bind.getMessage());
        StatusException missing = assertThrows(StatusException.class, () ->
                bindings.create("prod", binding("RoleBinding", "x-ghost", "prod", "ClusterRole", "ghost", "User", "x"), dave));
        assertEquals("rolebindings.rbac.authorization.k8s.io \"x-ghost\" is forbidden: clusterrole.rbac.authorization.k8s.io \"ghost\" not found",
                missing.getMessage());
        // a viewer may not bind edit, until it may "bind" that role
        RequestContext alice = RequestContext.of(ALICE);
        assertThrows(StatusException.class, () -> bindings.create("dev", binding("RoleBinding", "y-edit", "dev", "ClusterRole", "edit", "User", "y"), alice));
        create("clusterroles", "", role("ClusterRole", "edit-binder", null,
                "{\"verbs\":[\"bind\"],\"apiGroups\":[\"rbac.authorization.k8s.io\"],\"resources\":[\"clusterroles\"],\"resourceNames\":[\"edit\"]}"));
        create("rolebindings", "dev", binding("RoleBinding", "alice-binds-edit", "dev", "ClusterRole", "edit-binder", "User", "alice"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!authorizer.authorize(AuthorizationAttributes.resource(ALICE, "bind", RbacPolicy.GROUP, "clusterroles", "", "dev", "edit")).allowed()
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        bindings.create("dev", binding("RoleBinding", "y-edit", "dev", "ClusterRole", "edit", "User", "y"), alice);
        // system:masters may do anything
        roles.create("prod", role("Role", "anything", "prod", "{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}"),
                RequestContext.of(MASTER));
    }

    private static UserInfo user(String name) {
        return switch (name) {
            case "alice" -> ALICE;
            case "bob" -> BOB;
            case "carol" -> CAROL;
            case "dave" -> DAVE;
            case "root" -> MASTER;
            case "kubernetes-admin" -> KUBEADM_ADMIN;
            case "builder" -> BUILDER;
            case "anonymous" -> UserInfo.ANONYMOUS;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private void create(String resource, String namespace, ObjectNode o) {
        registry.resource(RbacPolicy.GROUP, resource).create(namespace, o, RequestContext.LOOPBACK);
    }

    static ObjectNode role(String kind, String name, String namespace, String... rules) {
        return Json.parseObject(("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\""
                + name + "\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"") + "},\"rules\":["
                + String.join(",", rules) + "]}").getBytes());
    }

    static ObjectNode binding(String kind, String name, String namespace, String roleKind, String roleName, String subjectKind,
                              String subjectName) {
        return Json.parseObject(("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\""
                + name + "\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"") + "},\"roleRef\":{\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\",\"kind\":\"" + roleKind + "\",\"name\":\"" + roleName + "\"},\"subjects\":[{\"kind\":\""
                + subjectKind + "\",\"name\":\"" + subjectName + "\"}]}").getBytes());
    }
}
