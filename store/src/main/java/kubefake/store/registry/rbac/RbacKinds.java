package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;

/** The rules of the four rbac.authorization.k8s.io/v1 kinds: their defaults and validation. */
public final class RbacKinds {
    public static final KindRules ROLE = new KindRules(Defaulter.NONE, RbacValidation.ROLE, FieldLabels.METADATA);
    public static final KindRules CLUSTER_ROLE = new KindRules(Defaulter.NONE, RbacValidation.CLUSTER_ROLE, FieldLabels.METADATA);
    public static final KindRules ROLE_BINDING = new KindRules(RbacKinds::defaultBinding, RbacValidation.ROLE_BINDING, FieldLabels.METADATA);
    public static final KindRules CLUSTER_ROLE_BINDING = new KindRules(RbacKinds::defaultBinding, RbacValidation.CLUSTER_ROLE_BINDING, FieldLabels.METADATA);

    private RbacKinds() {
    }

    /** SetDefaults_RoleBinding / _ClusterRoleBinding and SetDefaults_Subject: the API groups left out. */
    static void defaultBinding(ObjectNode binding) {
        if (binding.get("roleRef") instanceof ObjectNode ref && ref.path("apiGroup").asText("").isEmpty()) {
            ref.put("apiGroup", RbacPolicy.GROUP);
        }
        for (JsonNode s : binding.path("subjects")) {
            if (!(s instanceof ObjectNode subject) || !subject.path("apiGroup").asText("").isEmpty()) continue;
            String kind = subject.path("kind").asText("");
            if (kind.equals("User") || kind.equals("Group")) subject.put("apiGroup", RbacPolicy.GROUP);
        }
    }
}
