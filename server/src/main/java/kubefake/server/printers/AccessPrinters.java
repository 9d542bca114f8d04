package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.integer;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Printers of who may do what: RBAC bindings, certificate signing requests, admission webhooks
 * and policies. Roles and cluster roles have no printer (the default table).
 */
final class AccessPrinters {

    private static final List<Column> ROLE_BINDINGS = List.of(
            NAME,
            string("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global "
                    + "namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."),
            AGE,
            wide("Users", "Users in the roleBinding"),
            wide("Groups", "Groups in the roleBinding"),
            wide("ServiceAccounts", "ServiceAccounts in the roleBinding"));

    private static final List<Column> CLUSTER_ROLE_BINDINGS = List.of(
            NAME,
            string("Role", "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot "
                    + "be resolved, the Authorizer must return an error."),
            AGE,
            wide("Users", "Users in the clusterRoleBinding"),
            wide("Groups", "Groups in the clusterRoleBinding"),
            wide("ServiceAccounts", "ServiceAccounts in the clusterRoleBinding"));

    private static final List<Column> CERTIFICATE_SIGNING_REQUESTS = List.of(
            NAME,
            AGE,
            string("SignerName", "Requested signer for the request. It is a qualified name in the form: "
                    + "`scope-hostname.io/name`. If empty, it will be defaulted:\n 1. If it's a kubelet client "
                    + "certificate, it is assigned\n    \"kubernetes.io/kube-apiserver-client-kubelet\".\n 2. If "
                    + "it's a kubelet serving certificate, it is assigned\n    \"kubernetes.io/kubelet-serving\".\n "
                    + "3. Otherwise, it is assigned \"kubernetes.io/legacy-unknown\".\nDistribution of trust for "
                    + "signers happens out of band. You can select on this field using `spec.signerName`."),
            string("Requestor", "Base64-encoded PKCS#10 CSR data"),
            string("RequestedDuration", "expirationSeconds is the requested duration of validity of the issued certificate. The "
                    + "certificate signer may issue a certificate with a different validity duration so a client "
                    + "must check the delta between the notBefore and and notAfter fields in the issued "
                    + "certificate to determine the actual duration.\n\nThe v1.22+ in-tree implementations of the "
                    + "well-known Kubernetes signers will honor this field as long as the requested duration is "
                    + "not greater than the maximum duration they will honor per the --cluster-signing-duration "
                    + "CLI flag to the Kubernetes controller manager.\n\nCertificate signers may not honor this "
                    + "field for various reasons:\n\n  1. Old signer that is unaware of the field (such as the "
                    + "in-tree\n     implementations prior to v1.22)\n  2. Signer whose configured maximum is "
                    + "shorter than the requested duration\n  3. Signer whose configured minimum is longer than "
                    + "the requested duration\n\nThe minimum valid value for expirationSeconds is 600, i.e. 10 "
                    + "minutes."),
            string("Condition", "Conditions applied to the request, such as approval or denial."));

    private static final List<Column> WEBHOOK_CONFIGURATIONS = List.of(
            NAME,
            integer("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration"),
            AGE);

    private static final List<Column> VALIDATING_ADMISSION_POLICIES = List.of(
            NAME,
            integer("Validations", "Validations indicates the number of validation rules defined in this configuration"),
            string("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
            AGE);

    private static final List<Column> VALIDATING_ADMISSION_POLICY_BINDINGS = List.of(
            NAME,
            string("PolicyName", "PolicyName indicates the policy definition which the policy binding binded to"),
            string("ParamRef", "ParamRef indicates the param resource which sets the configration param"),
            AGE);

    private AccessPrinters() {
    }

    static void register(TablePrinters.Registry registry) {
        registry.add("rbac.authorization.k8s.io", "rolebindings", new SimplePrinter(ROLE_BINDINGS, AccessPrinters::binding));
        registry.add("rbac.authorization.k8s.io", "clusterrolebindings",
                new SimplePrinter(CLUSTER_ROLE_BINDINGS, AccessPrinters::binding));
        registry.add("certificates.k8s.io", "certificatesigningrequests",
                new SimplePrinter(CERTIFICATE_SIGNING_REQUESTS, (csr, now) -> {
                    JsonNode spec = Fields.at(csr, "spec");
                    String signer = Fields.text(spec, "signerName");
                    String requested = Formats.NONE;
                    if (Fields.has(spec, "expirationSeconds")) {
                        requested = HumanDuration.format(Duration.ofSeconds(Fields.number(spec, "expirationSeconds")));
                    }
                    return List.of(Fields.name(csr), Formats.age(csr, now), signer.isEmpty() ? Formats.NONE : signer,
                            Fields.text(spec, "username"), requested, csrCondition(csr));
                }));
        SimplePrinter webhooks = new SimplePrinter(WEBHOOK_CONFIGURATIONS, (config, now) -> List.of(
                Fields.name(config), (long) Fields.size(config, "webhooks"), Formats.age(config, now)));
        registry.add("admissionregistration.k8s.io", "validatingwebhookconfigurations", webhooks);
        registry.add("admissionregistration.k8s.io", "mutatingwebhookconfigurations", webhooks);
        registry.add("admissionregistration.k8s.io", "validatingadmissionpolicies",
                new SimplePrinter(VALIDATING_ADMISSION_POLICIES, (policy, now) -> {
                    JsonNode paramKind = Fields.at(policy, "spec", "paramKind");
                    String kind = Fields.has(paramKind)
                            ? Fields.text(paramKind, "apiVersion") + "/" + Fields.text(paramKind, "kind") : Formats.UNSET;
                    return List.of(Fields.name(policy), (long) Fields.size(policy, "spec", "validations"), kind,
                            Formats.age(policy, now));
                }));
        registry.add("admissionregistration.k8s.io", "validatingadmissionpolicybindings",
                new SimplePrinter(VALIDATING_ADMISSION_POLICY_BINDINGS, (binding, now) -> List.of(
                        Fields.name(binding), Fields.text(binding, "spec", "policyName"),
                        paramRef(Fields.at(binding, "spec", "paramRef")), Formats.age(binding, now))));
    }

    /** Role ({@code ClusterRole/view}), Age; wide: users, groups and service accounts, each ", "-joined. */
    private static List<Object> binding(JsonNode binding, Instant now) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> serviceAccounts = new ArrayList<>();
        for (JsonNode subject : Fields.list(binding, "subjects")) {
            switch (Fields.text(subject, "kind")) {
                case "User" -> users.add(Fields.text(subject, "name"));
                case "Group" -> groups.add(Fields.text(subject, "name"));
                case "ServiceAccount" -> serviceAccounts.add(
                        Fields.text(subject, "namespace") + "/" + Fields.text(subject, "name"));
                default -> {
                    // other kinds are not shown
                }
            }
        }
        return List.of(Fields.name(binding),
                Fields.text(binding, "roleRef", "kind") + "/" + Fields.text(binding, "roleRef", "name"),
                Formats.age(binding, now), String.join(", ", users), String.join(", ", groups),
                String.join(", ", serviceAccounts));
    }

    /** {@code Pending}, {@code Approved}, {@code Denied}, then {@code ,Failed} and {@code ,Issued}. */
    private static String csrCondition(JsonNode csr) {
        boolean approved = false;
        boolean denied = false;
        boolean failed = false;
        for (JsonNode condition : Fields.list(csr, "status", "conditions")) {
            switch (Fields.text(condition, "type")) {
                case "Approved" -> approved = true;
                case "Denied" -> denied = true;
                case "Failed" -> failed = true;
                default -> {
                    // other condition types do not show
                }
            }
        }
        String status = denied ? "Denied" : approved ? "Approved" : "Pending";
        if (failed) {
            status += ",Failed";
        }
        if (!Fields.text(csr, "status", "certificate").isEmpty()) {
            status += ",Issued";
        }
        return status;
    }

    /** {@code namespace/name}, {@code *}/name for a name without namespace, or the selector. */
    private static String paramRef(JsonNode ref) {
        if (!Fields.has(ref)) {
            return Formats.UNSET;
        }
        String name = Fields.text(ref, "name");
        if (!name.isEmpty()) {
            String namespace = Fields.text(ref, "namespace");
            return (namespace.isEmpty() ? "*" : namespace) + "/" + name;
        }
        if (Fields.has(ref, "selector")) {
            return LabelSelectors.formatOrNone(Fields.at(ref, "selector"));
        }
        return Formats.UNSET;
    }
}
