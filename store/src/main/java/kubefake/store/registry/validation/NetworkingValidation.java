package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.GoLiteral;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * networking.k8s.io/v1 validation ({@code pkg/apis/networking/validation}): Ingresses (rules, paths and their
 * types, backends, hosts with wildcards, TLS), IngressClasses, NetworkPolicies (ports, peers, ipBlocks,
 * policyTypes), IPAddresses and ServiceCIDRs, with the real server's messages.
 */
final class NetworkingValidation {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final String INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
    private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
    private static final List<String> INVALID_PATH_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
    private static final List<String> INVALID_PATH_SUFFIXES = List.of("/..", "/.");
    private static final List<String> PARAMETER_SCOPES = List.of("Cluster", "Namespace");
    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");
    private static final int MAX_CONTROLLER_LENGTH = 250;
    private static final String WILDCARD_FMT = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern WILDCARD = Pattern.compile(WILDCARD_FMT);
    private static final String WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid "
            + "DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
            + "alphanumeric character";
    private static final String HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
    private static final Pattern HTTP_PATH = Pattern.compile(HTTP_PATH_FMT);

    private NetworkingValidation() {
    }

    // ------------------------------------------------------------------ Ingress

    static List<FieldError> ingress(ObjectNode ing, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(meta(ing, old, true));
        errs.addAll(ingressSpec(ing.path("spec"), old));
        if (old == null) {
            JsonNode annotation = ing.path("metadata").path("annotations").get(INGRESS_CLASS_ANNOTATION);
            JsonNode className = ing.path("spec").get("ingressClassName");
            if (Json.present(annotation) && Json.present(className) && !annotation.asText().equals(className.asText())) {
                errs.add(FieldError.invalid(FieldPath.of("annotations").child(INGRESS_CLASS_ANNOTATION), annotation.asText(),
                        "must match `ingressClassName` when both are specified"));
            }
        }
        return errs;
    }

    private static List<FieldError> ingressSpec(JsonNode spec, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        boolean invalidSecretsAllowed = old != null && hasInvalidTlsSecret(old.path("spec"));
        boolean invalidWildcardRulesAllowed = old != null && hasInvalidWildcardRule(old.path("spec"));
        JsonNode rules = spec.path("rules");
        JsonNode defaultBackend = spec.get("defaultBackend");
        if (rules.isEmpty() && !Json.present(defaultBackend)) {
            errs.add(FieldError.invalid(SPEC, new GoLiteral("[]networking.IngressRule(nil)"),
                    "either `defaultBackend` or `rules` must be specified"));
        }
        if (Json.present(defaultBackend)) errs.addAll(backend(defaultBackend, SPEC.child("defaultBackend")));
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            FieldPath path = SPEC.child("rules").index(i);
            String host = Json.text(rule, "host");
            boolean wildcard = false;
            if (!host.isEmpty()) {
                if (IpFormats.parse(host) != null) {
                    errs.add(FieldError.invalid(path.child("host"), host, "must be a DNS name, not an IP address"));
                }
                if (host.contains("*")) {
                    for (String msg : isWildcardDNS1123Subdomain(host)) errs.add(FieldError.invalid(path.child("host"), host, msg));
                    wildcard = true;
                } else {
                    for (String msg : Formats.isDNS1123Subdomain(host)) errs.add(FieldError.invalid(path.child("host"), host, msg));
                }
            }
            if (!wildcard || !invalidWildcardRulesAllowed) errs.addAll(ruleValue(rule, path));
        }
        JsonNode tls = spec.path("tls");
        for (int t = 0; t < tls.size(); t++) {
            FieldPath path = SPEC.child("tls").index(t);
            JsonNode hosts = tls.get(t).path("hosts");
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i).asText();
                List<String> problems = host.contains("*") ? isWildcardDNS1123Subdomain(host) : Formats.isDNS1123Subdomain(host);
                for (String msg : problems) errs.add(FieldError.invalid(path.child("hosts").index(i), host, msg));
            }
            String secret = Json.text(tls.get(t), "secretName");
            if (!invalidSecretsAllowed && !secret.isEmpty()) {
                for (String msg : Formats.nameIsDNSSubdomain(secret, false)) {
                    errs.add(FieldError.invalid(path.child("secretName"), secret, msg));
                }
            }
        }
        JsonNode className = spec.get("ingressClassName");
        if (Json.present(className)) {
            for (String msg : Formats.nameIsDNSSubdomain(className.asText(), false)) {
                errs.add(FieldError.invalid(SPEC.child("ingressClassName"), className.asText(), msg));
            }
        }
        return errs;
    }

    private static List<FieldError> ruleValue(JsonNode rule, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode http = rule.get("http");
        if (!Json.present(http)) return errs;
        FieldPath httpPath = path.child("http");
        JsonNode paths = http.path("paths");
        if (paths.isEmpty()) errs.add(FieldError.required(httpPath.child("paths"), ""));
        for (int i = 0; i < paths.size(); i++) errs.addAll(httpPath(paths.get(i), httpPath.child("paths").index(i)));
        return errs;
    }

    private static List<FieldError> httpPath(JsonNode p, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode pathType = p.get("pathType");
        if (!Json.present(pathType)) {
            errs.add(FieldError.required(path.child("pathType"), "pathType must be specified"));
            return errs;
        }
        String value = Json.text(p, "path");
        switch (pathType.asText()) {
            case "Exact", "Prefix" -> {
                if (!value.startsWith("/")) errs.add(FieldError.invalid(path.child("path"), value, "must be an absolute path"));
                if (!value.isEmpty()) {
                    for (String seq : INVALID_PATH_SEQUENCES) {
                        if (value.contains(seq)) errs.add(FieldError.invalid(path.child("path"), value, "must not contain '" + seq + "'"));
                    }
                    for (String suffix : INVALID_PATH_SUFFIXES) {
                        if (value.endsWith(suffix)) errs.add(FieldError.invalid(path.child("path"), value, "cannot end with '" + suffix + "'"));
                    }
                }
            }
            case "ImplementationSpecific" -> {
                if (!value.isEmpty() && !value.startsWith("/")) {
                    errs.add(FieldError.invalid(path.child("path"), value, "must be an absolute path"));
                }
            }
            default -> errs.add(FieldError.notSupported(path.child("pathType"), pathType.asText(), PATH_TYPES));
        }
        errs.addAll(backend(p.path("backend"), path.child("backend")));
        return errs;
    }

    private static List<FieldError> backend(JsonNode backend, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode resource = backend.get("resource");
        JsonNode service = backend.get("service");
        boolean hasResource = Json.present(resource);
        boolean hasService = Json.present(service);
        if (hasResource && hasService) {
            errs.add(FieldError.invalid(path, "", "cannot set both resource and service backends"));
        } else if (hasResource) {
            errs.addAll(typedLocalObjectReference(resource, path.child("resource")));
        } else if (hasService) {
            String name = Json.text(service, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(path.child("service", "name"), ""));
            } else {
                for (String msg : Formats.nameIsDNS1035Label(name, false)) {
                    errs.add(FieldError.invalid(path.child("service", "name"), name, msg));
                }
            }
            JsonNode port = service.path("port");
            String portName = Json.text(port, "name");
            long portNumber = port.path("number").asLong(0);
            if (!portName.isEmpty() && portNumber != 0) {
                errs.add(FieldError.invalid(path, "", "cannot set both port name & port number"));
            } else if (!portName.isEmpty()) {
                for (String msg : Formats.isValidPortName(portName)) {
                    errs.add(FieldError.invalid(path.child("service", "port", "name"), portName, msg));
                }
            } else if (portNumber != 0) {
                for (String msg : Formats.isValidPortNum(portNumber)) {
                    errs.add(FieldError.invalid(path.child("service", "port", "number"), portNumber, msg));
                }
            } else {
                errs.add(FieldError.required(path, "port name or number is required"));
            }
        } else {
            errs.add(FieldError.invalid(path, "", "resource or service backend is required"));
        }
        return errs;
    }

    private static List<FieldError> typedLocalObjectReference(JsonNode ref, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode apiGroup = ref.get("apiGroup");
        if (Json.present(apiGroup)) {
            for (String msg : Formats.isDNS1123Subdomain(apiGroup.asText())) {
                errs.add(FieldError.invalid(path.child("apiGroup"), apiGroup.asText(), msg));
            }
        }
        errs.addAll(requiredPathSegment(ref, "kind", path));
        errs.addAll(requiredPathSegment(ref, "name", path));
        return errs;
    }

    private static List<FieldError> requiredPathSegment(JsonNode ref, String field, FieldPath path) {
        String value = Json.text(ref, field);
        if (value.isEmpty()) return List.of(FieldError.required(path.child(field), ""));
        List<FieldError> errs = new ArrayList<>();
        for (String msg : Formats.isValidPathSegmentName(value, false)) errs.add(FieldError.invalid(path.child(field), value, msg));
        return errs;
    }

    /** A stored Ingress whose TLS secret names are invalid keeps being accepted (backwards compatibility). */
    private static boolean hasInvalidTlsSecret(JsonNode spec) {
        for (JsonNode tls : spec.path("tls")) {
            String secret = Json.text(tls, "secretName");
            if (!secret.isEmpty() && !Formats.nameIsDNSSubdomain(secret, false).isEmpty()) return true;
        }
        return false;
    }

    private static boolean hasInvalidWildcardRule(JsonNode spec) {
        for (JsonNode rule : spec.path("rules")) {
            if (Json.text(rule, "host").contains("*") && !ruleValue(rule, FieldPath.of("x")).isEmpty()) return true;
        }
        return false;
    }

    static List<String> isWildcardDNS1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (Formats.byteLength(value) > Formats.DNS1123_SUBDOMAIN_MAX) errs.add(Formats.maxLenError(Formats.DNS1123_SUBDOMAIN_MAX));
        if (!WILDCARD.matcher(value).matches()) errs.add(Formats.regexError(WILDCARD_MSG, WILDCARD_FMT, "*.example.com"));
        return errs;
    }

    // ------------------------------------------------------------------ IngressClass

    static List<FieldError> ingressClass(ObjectNode ic, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(meta(ic, old, false));
        JsonNode spec = ic.path("spec");
        if (old != null && !Json.text(spec, "controller").equals(Json.text(old.path("spec"), "controller"))) {
            errs.add(FieldError.invalid(SPEC.child("controller"), Json.text(spec, "controller"), ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        String controller = Json.text(spec, "controller");
        FieldPath controllerPath = SPEC.child("controller");
        if (controller.isEmpty()) {
            errs.add(FieldError.required(controllerPath, ""));
        } else {
            if (controller.length() > MAX_CONTROLLER_LENGTH) errs.add(FieldError.tooLong(controllerPath, MAX_CONTROLLER_LENGTH));
            errs.addAll(domainPrefixedPath(controllerPath, controller));
        }
        JsonNode params = spec.get("parameters");
        if (Json.present(params)) errs.addAll(parametersReference(params, SPEC.child("parameters")));
        return errs;
    }

    private static List<FieldError> domainPrefixedPath(FieldPath path, String value) {
        String[] segments = value.split("/", 2);
        if (segments.length != 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
            return List.of(FieldError.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
        }
        List<FieldError> errs = new ArrayList<>();
        for (String msg : Formats.isDNS1123Subdomain(segments[0])) errs.add(FieldError.invalid(path, segments[0], msg));
        if (!HTTP_PATH.matcher(segments[1]).matches()) {
            errs.add(FieldError.invalid(path, segments[1], Formats.regexError("Invalid path", HTTP_PATH_FMT)));
        }
        return errs;
    }

    private static List<FieldError> parametersReference(JsonNode params, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode apiGroup = params.get("apiGroup");
        if (Json.present(apiGroup)) {
            for (String msg : Formats.isDNS1123Subdomain(apiGroup.asText())) {
                errs.add(FieldError.invalid(path.child("apiGroup"), apiGroup.asText(), msg));
            }
        }
        errs.addAll(requiredPathSegment(params, "kind", path));
        errs.addAll(requiredPathSegment(params, "name", path));
        JsonNode scope = params.get("scope");
        if (!Json.present(scope)) {
            errs.add(FieldError.required(path.child("scope"), ""));
            return errs;
        }
        JsonNode namespace = params.get("namespace");
        switch (scope.asText()) {
            case "Namespace" -> {
                if (!Json.present(namespace)) {
                    errs.add(FieldError.required(path.child("namespace"), "`parameters.scope` is set to 'Namespace'"));
                } else {
                    for (String msg : Formats.nameIsDNSLabel(namespace.asText(), false)) {
                        errs.add(FieldError.invalid(path.child("namespace"), namespace.asText(), msg));
                    }
                }
            }
            case "Cluster" -> {
                if (Json.present(namespace)) errs.add(FieldError.forbidden(path.child("namespace"), "`parameters.scope` is set to 'Cluster'"));
            }
            default -> errs.add(FieldError.notSupported(path.child("scope"), scope.asText(), PARAMETER_SCOPES));
        }
        return errs;
    }

    // ------------------------------------------------------------------ NetworkPolicy

    static List<FieldError> networkPolicy(ObjectNode np, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(meta(np, old, true));
        List<String> existingCidrs = new ArrayList<>();
        if (old != null) {
            // CIDRs the stored policy holds are not checked again (ValidateNetworkPolicyUpdate)
            for (String section : List.of("ingress:from", "egress:to")) {
                String[] s = section.split(":");
                for (JsonNode rule : old.path("spec").path(s[0])) {
                    for (JsonNode peer : rule.path(s[1])) {
                        JsonNode block = peer.path("ipBlock");
                        if (block.has("cidr")) existingCidrs.add(block.path("cidr").asText());
                        block.path("except").forEach(e -> existingCidrs.add(e.asText()));
                    }
                }
            }
        }
        JsonNode spec = np.path("spec");
        errs.addAll(LabelSelectorValidation.validate(spec.path("podSelector"), SPEC.child("podSelector")));
        for (String[] section : new String[][]{{"ingress", "from"}, {"egress", "to"}}) {
            JsonNode rules = spec.path(section[0]);
            for (int i = 0; i < rules.size(); i++) {
                FieldPath rulePath = SPEC.child(section[0]).index(i);
                JsonNode ports = rules.get(i).path("ports");
                for (int p = 0; p < ports.size(); p++) errs.addAll(policyPort(ports.get(p), rulePath.child("ports").index(p)));
                JsonNode peers = rules.get(i).path(section[1]);
                for (int p = 0; p < peers.size(); p++) {
                    errs.addAll(policyPeer(peers.get(p), rulePath.child(section[1]).index(p), existingCidrs));
                }
            }
        }
        JsonNode types = spec.path("policyTypes");
        if (types.size() > POLICY_TYPES.size()) {
            List<String> values = new ArrayList<>();
            types.forEach(t -> values.add(t.asText()));
            errs.add(FieldError.invalid(SPEC.child("policyTypes"), new GoLiteral("&[]networking.PolicyType{"
                    + values.stream().map(GoFormat::quote).collect(Collectors.joining(", ")) + "}"),
                    "may not specify more than two policyTypes"));
            return errs;
        }
        for (int i = 0; i < types.size(); i++) {
            if (!POLICY_TYPES.contains(types.get(i).asText())) {
                errs.add(FieldError.notSupported(SPEC.child("policyTypes").index(i), types.get(i).asText(), POLICY_TYPES));
            }
        }
        return errs;
    }

    private static List<FieldError> policyPort(JsonNode port, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode protocol = port.get("protocol");
        if (Json.present(protocol) && !PROTOCOLS.contains(protocol.asText())) {
            errs.add(FieldError.notSupported(path.child("protocol"), protocol.asText(), PROTOCOLS));
        }
        JsonNode number = port.get("port");
        JsonNode endPort = port.get("endPort");
        if (Json.present(number)) {
            if (number.isNumber()) {
                for (String msg : Formats.isValidPortNum(number.asLong())) errs.add(FieldError.invalid(path.child("port"), number.asLong(), msg));
                if (Json.present(endPort)) {
                    if (endPort.asLong() < number.asLong()) {
                        errs.add(FieldError.invalid(path.child("endPort"), endPort.asLong(), "must be greater than or equal to `port`"));
                    }
                    for (String msg : Formats.isValidPortNum(endPort.asLong())) {
                        errs.add(FieldError.invalid(path.child("endPort"), endPort.asLong(), msg));
                    }
                }
            } else {
                if (Json.present(endPort)) {
                    errs.add(FieldError.invalid(path.child("endPort"), endPort.asLong(), "may not be specified when `port` is non-numeric"));
                }
                for (String msg : Formats.isValidPortName(number.asText())) errs.add(FieldError.invalid(path.child("port"), number.asText(), msg));
            }
        } else if (Json.present(endPort)) {
            errs.add(FieldError.invalid(path.child("endPort"), endPort.asLong(), "may not be specified when `port` is not specified"));
        }
        return errs;
    }

    private static List<FieldError> policyPeer(JsonNode peer, FieldPath path, List<String> existingCidrs) {
        List<FieldError> errs = new ArrayList<>();
        int peers = 0;
        if (Json.present(peer.get("podSelector"))) {
            peers++;
            errs.addAll(LabelSelectorValidation.validate(peer.get("podSelector"), path.child("podSelector")));
        }
        if (Json.present(peer.get("namespaceSelector"))) {
            peers++;
            errs.addAll(LabelSelectorValidation.validate(peer.get("namespaceSelector"), path.child("namespaceSelector")));
        }
        JsonNode block = peer.get("ipBlock");
        if (Json.present(block)) {
            peers++;
            errs.addAll(ipBlock(block, path.child("ipBlock"), existingCidrs));
        }
        if (peers == 0) {
            errs.add(FieldError.required(path, "must specify a peer"));
        } else if (peers > 1 && Json.present(block)) {
            errs.add(FieldError.forbidden(path, "may not specify both ipBlock and another peer"));
        }
        return errs;
    }

    private static List<FieldError> ipBlock(JsonNode block, FieldPath path, List<String> existingCidrs) {
        String cidr = Json.text(block, "cidr");
        if (cidr.isEmpty()) return List.of(FieldError.required(path.child("cidr"), ""));
        List<FieldError> errs = new ArrayList<>();
        if (!existingCidrs.contains(cidr)) {
            for (String msg : IpFormats.isValidCIDR(cidr)) errs.add(FieldError.invalid(path.child("cidr"), cidr, msg));
        }
        IpFormats.Cidr outer = IpFormats.parseCidr(cidr);
        if (outer == null) return errs;
        JsonNode except = block.path("except");
        for (int i = 0; i < except.size(); i++) {
            String value = except.get(i).asText();
            FieldPath exceptPath = path.child("except").index(i);
            if (!existingCidrs.contains(value)) {
                for (String msg : IpFormats.isValidCIDR(value)) errs.add(FieldError.invalid(exceptPath, value, msg));
            }
            IpFormats.Cidr inner = IpFormats.parseCidr(value);
            if (inner == null) continue;
            if (!outer.contains(inner.network()) || outer.prefix() >= inner.prefix()) {
                errs.add(FieldError.invalid(exceptPath, value, "must be a strict subset of `cidr`"));
            }
        }
        return errs;
    }

    // ------------------------------------------------------------------ IPAddress, ServiceCIDR

    static List<FieldError> ipAddress(ObjectNode ip, ObjectNode old) {
        if (old != null) {
            List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validateUpdate(ip.path("metadata"), old.path("metadata")));
            if (!ip.path("spec").path("parentRef").equals(old.path("spec").path("parentRef"))) {
                errs.add(FieldError.invalid(SPEC.child("parentRef"), parentRefLiteral(ip.path("spec").path("parentRef")),
                        ObjectMetaValidation.FIELD_IMMUTABLE));
            }
            return errs;
        }
        List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validate(ip.path("metadata"), false,
                (name, prefix) -> IpFormats.isValidIP(name)));
        JsonNode ref = ip.path("spec").get("parentRef");
        if (!Json.present(ref)) {
            errs.add(FieldError.required(SPEC.child("parentRef"), ""));
            return errs;
        }
        FieldPath path = SPEC.child("parentRef");
        String group = Json.text(ref, "group");
        if (!group.isEmpty()) {
            for (String msg : Formats.isDNS1123Subdomain(group)) errs.add(FieldError.invalid(path.child("group"), group, msg));
        }
        errs.addAll(requiredPathSegment(ref, "resource", path));
        errs.addAll(requiredPathSegment(ref, "name", path));
        String namespace = Json.text(ref, "namespace");
        if (!namespace.isEmpty()) {
            for (String msg : Formats.isValidPathSegmentName(namespace, false)) {
                errs.add(FieldError.invalid(path.child("namespace"), namespace, msg));
            }
        }
        return errs;
    }

    private static GoLiteral parentRefLiteral(JsonNode ref) {
        if (!Json.present(ref)) return new GoLiteral("(*networking.ParentReference)(nil)");
        return new GoLiteral("&networking.ParentReference{Group:" + GoFormat.quote(Json.text(ref, "group"))
                + ", Resource:" + GoFormat.quote(Json.text(ref, "resource")) + ", Namespace:"
                + GoFormat.quote(Json.text(ref, "namespace")) + ", Name:" + GoFormat.quote(Json.text(ref, "name")) + "}");
    }

    static List<FieldError> serviceCidr(ObjectNode sc, ObjectNode old) {
        FieldPath cidrsPath = SPEC.child("cidrs");
        List<String> cidrs = new ArrayList<>();
        sc.path("spec").path("cidrs").forEach(c -> cidrs.add(c.asText()));
        if (old == null) {
            List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validate(sc.path("metadata"), false, NameRule.DNS_SUBDOMAIN));
            errs.addAll(serviceCidrSpec(cidrs, cidrsPath));
            return errs;
        }
        List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validateUpdate(sc.path("metadata"), old.path("metadata")));
        List<String> before = new ArrayList<>();
        old.path("spec").path("cidrs").forEach(c -> before.add(c.asText()));
        if (before.size() == cidrs.size()) {
            for (int i = 0; i < before.size(); i++) {
                if (!before.get(i).equals(cidrs.get(i))) {
                    errs.add(FieldError.invalid(cidrsPath.index(i), cidrs.get(i), ObjectMetaValidation.FIELD_IMMUTABLE));
                }
            }
        } else if (before.size() == 1 && cidrs.size() == 2) {
            if (!cidrs.get(0).equals(before.get(0))) {
                errs.add(FieldError.invalid(cidrsPath.index(0), cidrs.get(0), ObjectMetaValidation.FIELD_IMMUTABLE));
            }
            errs.addAll(serviceCidrSpec(cidrs, cidrsPath));
        } else {
            errs.add(FieldError.invalid(cidrsPath, cidrs, ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return errs;
    }

    private static List<FieldError> serviceCidrSpec(List<String> cidrs, FieldPath path) {
        if (cidrs.isEmpty()) return List.of(FieldError.required(path, "at least one CIDR required"));
        if (cidrs.size() > 2) {
            return List.of(FieldError.invalid(path, new GoLiteral("networking.ServiceCIDRSpec{CIDRs:"
                    + GoFormat.stringSlice(cidrs) + "}"), "may only hold up to 2 values"));
        }
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < cidrs.size(); i++) {
            for (String msg : IpFormats.isValidCIDR(cidrs.get(i))) errs.add(FieldError.invalid(path.index(i), cidrs.get(i), msg));
        }
        if (cidrs.size() == 2) {
            IpFormats.Cidr a = IpFormats.parseCidr(cidrs.get(0));
            IpFormats.Cidr b = IpFormats.parseCidr(cidrs.get(1));
            if (a != null && b != null && a.ipv4() == b.ipv4()) {
                errs.add(FieldError.invalid(path, cidrs,
                        "may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64"));
            }
        }
        return errs;
    }

    // ------------------------------------------------------------------ shared

    private static List<FieldError> meta(ObjectNode obj, ObjectNode old, boolean namespaced) {
        return old == null
                ? ObjectMetaValidation.validate(obj.path("metadata"), namespaced, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata"));
    }
}
