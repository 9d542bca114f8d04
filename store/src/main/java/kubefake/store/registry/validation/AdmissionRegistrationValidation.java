package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * admissionregistration.k8s.io/v1 webhook configurations ({@code ValidateValidatingWebhookConfiguration},
 * {@code ValidateMutatingWebhookConfiguration}): each webhook has a unique fully qualified name, rules with
 * operations, groups, versions and resources, a supported failure and match policy, side effects None or
 * NoneOnDryRun, a timeout of 1 to 30 s, exactly one of an https URL or a service, and an admission review version
 * it understands (v1 or v1beta1). Not checked: matchConditions, the selectors' expressions in detail.
 */
final class AdmissionRegistrationValidation {
    private static final FieldPath WEBHOOKS = FieldPath.of("webhooks");
    private static final List<String> OPERATIONS = List.of("*", "CONNECT", "CREATE", "DELETE", "UPDATE");
    private static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");
    private static final List<String> MATCH_POLICIES = List.of("Equivalent", "Exact");
    private static final List<String> SIDE_EFFECTS = List.of("None", "NoneOnDryRun");
    private static final List<String> SCOPES = List.of("*", "Cluster", "Namespaced");
    private static final List<String> REINVOCATION_POLICIES = List.of("IfNeeded", "Never");
    private static final String URL_FORM = "; desired format: https://host[/path]";

    private AdmissionRegistrationValidation() {
    }

    static List<FieldError> validating(ObjectNode configuration, ObjectNode old) {
        return configuration(configuration, old, false);
    }

    static List<FieldError> mutating(ObjectNode configuration, ObjectNode old) {
        return configuration(configuration, old, true);
    }

    private static List<FieldError> configuration(ObjectNode configuration, ObjectNode old, boolean mutating) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(configuration.path("metadata"), false, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(configuration.path("metadata"), old.path("metadata")));
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode hook : configuration.path("webhooks")) {
            FieldPath path = WEBHOOKS.index(i++);
            String name = hook.path("name").asText("");
            if (!name.isEmpty() && !names.add(name)) errs.add(FieldError.duplicate(path.child("name"), name));
            errs.addAll(webhook(hook, path, mutating));
            errs.addAll(reviewVersions(hook.path("admissionReviewVersions"), path.child("admissionReviewVersions")));
        }
        return errs;
    }

    private static List<FieldError> webhook(JsonNode hook, FieldPath path, boolean mutating) {
        List<FieldError> errs = new ArrayList<>(fullyQualifiedName(hook.path("name").asText(""), path.child("name")));
        int r = 0;
        for (JsonNode rule : hook.path("rules")) errs.addAll(rule(rule, path.child("rules").index(r++)));
        notSupported(hook, "failurePolicy", FAILURE_POLICIES, path, errs);
        notSupported(hook, "matchPolicy", MATCH_POLICIES, path, errs);
        if (!Json.present(hook.get("sideEffects"))) {
            errs.add(FieldError.required(path.child("sideEffects"), "must specify one of " + String.join(", ", SIDE_EFFECTS)));
        } else {
            notSupported(hook, "sideEffects", SIDE_EFFECTS, path, errs);
        }
        JsonNode timeout = hook.get("timeoutSeconds");
        if (Json.present(timeout) && (timeout.asLong() > 30 || timeout.asLong() < 1)) {
            errs.add(FieldError.invalid(path.child("timeoutSeconds"), timeout.asLong(),
                    "the timeout value must be between 1 and 30 seconds"));
        }
        for (String selector : List.of("namespaceSelector", "objectSelector")) {
            if (Json.present(hook.get(selector))) {
                errs.addAll(LabelSelectorValidation.validate(hook.get(selector), path.child(selector)));
            }
        }
        if (mutating) notSupported(hook, "reinvocationPolicy", REINVOCATION_POLICIES, path, errs);
        errs.addAll(clientConfig(hook.path("clientConfig"), path.child("clientConfig")));
        return errs;
    }

    private static void notSupported(JsonNode hook, String field, List<String> supported, FieldPath path, List<FieldError> errs) {
        JsonNode v = hook.get(field);
        if (Json.present(v) && !supported.contains(v.asText())) {
            errs.add(FieldError.notSupported(path.child(field), v.asText(), supported));
        }
    }

    /** {@code utilvalidation.IsFullyQualifiedName}. */
    private static List<FieldError> fullyQualifiedName(String name, FieldPath path) {
        if (name.isEmpty()) return List.of(FieldError.required(path, ""));
        List<String> dns = Formats.isDNS1123Subdomain(name);
        if (!dns.isEmpty()) return List.of(FieldError.invalid(path, name, String.join(",", dns)));
        if (name.split("\\.", -1).length < 3) {
            return List.of(FieldError.invalid(path, name, "should be a domain with at least three segments separated by dots"));
        }
        return List.of();
    }

    /** {@code validateRuleWithOperations}. */
    private static List<FieldError> rule(JsonNode rule, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (rule.path("operations").isEmpty()) errs.add(FieldError.required(path.child("operations"), ""));
        for (JsonNode op : rule.path("operations")) {
            if (!OPERATIONS.contains(op.asText())) errs.add(FieldError.notSupported(path.child("operations"), op.asText(), OPERATIONS));
        }
        for (String field : List.of("apiGroups", "apiVersions", "resources")) {
            if (rule.path(field).isEmpty()) errs.add(FieldError.required(path.child(field), ""));
        }
        JsonNode scope = rule.get("scope");
        if (Json.present(scope) && !SCOPES.contains(scope.asText())) {
            errs.add(FieldError.notSupported(path.child("scope"), scope.asText(), SCOPES));
        }
        return errs;
    }

    private static List<FieldError> clientConfig(JsonNode config, FieldPath path) {
        boolean hasUrl = Json.present(config.get("url"));
        boolean hasService = Json.present(config.get("service"));
        if (hasUrl == hasService) return List.of(FieldError.required(path, "exactly one of url or service is required"));
        List<FieldError> errs = new ArrayList<>();
        if (hasUrl) {
            FieldPath urlPath = path.child("url");
            URI url;
            try {
                url = new URI(config.get("url").asText());
            } catch (URISyntaxException e) {
                return List.of(FieldError.required(urlPath, "url must be a valid URL: " + e.getMessage() + URL_FORM));
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme();
            if (!scheme.equals("https")) {
                errs.add(FieldError.invalid(urlPath, scheme, "'https' is the only allowed URL scheme" + URL_FORM));
            }
            String host = url.getRawAuthority() == null ? "" : url.getRawAuthority();
            if (host.isEmpty()) errs.add(FieldError.invalid(urlPath, host, "host must be specified" + URL_FORM));
            if (url.getRawUserInfo() != null) {
                errs.add(FieldError.invalid(urlPath, url.getRawUserInfo(), "user information is not permitted in the URL"));
            }
            if (url.getRawFragment() != null && !url.getRawFragment().isEmpty()) {
                errs.add(FieldError.invalid(urlPath, url.getRawFragment(), "fragments are not permitted in the URL"));
            }
            if (url.getRawQuery() != null && !url.getRawQuery().isEmpty()) {
                errs.add(FieldError.invalid(urlPath, url.getRawQuery(), "query parameters are not permitted in the URL"));
            }
            return errs;
        }
        JsonNode service = config.get("service");
        FieldPath servicePath = path.child("service");
        if (service.path("name").asText("").isEmpty()) errs.add(FieldError.required(servicePath.child("name"), "service name is required"));
        if (service.path("namespace").asText("").isEmpty()) {
            errs.add(FieldError.required(servicePath.child("namespace"), "service namespace is required"));
        }
        long port = service.path("port").asLong(443);
        for (String msg : Formats.isValidPortNum(port)) {
            errs.add(FieldError.invalid(servicePath.child("port"), port, "port is not valid: " + msg));
        }
        return errs;
    }

    /** {@code validateAdmissionReviewVersions}: at least one version, one of them v1 or v1beta1. */
    private static List<FieldError> reviewVersions(JsonNode versions, FieldPath path) {
        if (versions.isEmpty()) return List.of(FieldError.required(path, "must specify one of v1, v1beta1"));
        for (JsonNode v : versions) {
            if (v.asText().equals("v1") || v.asText().equals("v1beta1")) return List.of();
        }
        List<String> given = new ArrayList<>();
        versions.forEach(v -> given.add(v.asText()));
        return List.of(FieldError.invalid(path, new kubefake.store.registry.errors.GoLiteral("[]string{\""
                + String.join("\", \"", given) + "\"}"), "must include at least one of v1, v1beta1"));
    }
}
