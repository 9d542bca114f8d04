package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import kubefake.store.registry.errors.GoFormat;
import java.util.TreeSet;

/**
 * The core/v1 kinds' rules (core validation): Pod, Namespace, ConfigMap, Secret and Service, on create and
 * update.
 */
final class CoreValidation {

    private CoreValidation() {
    }

    /** Largest ConfigMap or Secret payload: 1 MiB. */
    static final int MAX_SECRET_SIZE = 1024 * 1024;
    private static final String POD_UPDATE_FORBIDDEN = "pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
            + "(allow it to be set to 1 if it was previously negative)";

    // ---- Pod ----

    static List<FieldError> pod(ObjectNode obj, ObjectNode old) {
        if (old != null) {
            return podUpdate(obj, old);
        }
        List<FieldError> errs = new ArrayList<>(
                ObjectMetaValidation.validate(obj.path("metadata"), true, NameRule.DNS_SUBDOMAIN));
        FieldPath spec = FieldPath.of("spec");
        errs.addAll(new PodSpecValidation("Pod", "v1").validateSpec(obj.path("spec"), spec));
        errs.addAll(imageWhitespace(obj.path("spec").path("containers"), spec.child("containers")));
        errs.addAll(imageWhitespace(obj.path("spec").path("initContainers"), spec.child("initContainers")));
        if (!obj.path("spec").path("ephemeralContainers").isEmpty()) {
            errs.add(FieldError.forbidden(spec.child("ephemeralContainers"), "cannot be set on create"));
        }
        return errs;
    }

    /**
     * {@code ValidatePodEphemeralContainersUpdate}: the pod with its new ephemeral containers must be a valid pod,
     * static pods take none, and the ephemeral containers it had may be neither removed nor changed.
     */
    static List<FieldError> podEphemeralContainersUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(
                ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
        errs.addAll(new PodSpecValidation("Pod", "v1").validateSpec(obj.path("spec"), FieldPath.of("spec")));
        if (old.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) {
            return List.of(FieldError.forbidden(FieldPath.of(""), "static pods do not support ephemeral containers"));
        }
        Map<String, JsonNode> now = new HashMap<>();
        obj.path("spec").path("ephemeralContainers").forEach(c -> now.put(Json.text(c, "name"), c));
        FieldPath path = FieldPath.of("spec", "ephemeralContainers");
        for (JsonNode before : old.path("spec").path("ephemeralContainers")) {
            String name = Json.text(before, "name");
            JsonNode after = now.get(name);
            if (after == null) {
                errs.add(FieldError.forbidden(path, "existing ephemeral containers \"" + name + "\" may not be removed\n"));
            } else if (!after.equals(before)) {
                errs.add(FieldError.forbidden(path, "existing ephemeral containers \"" + name + "\" may not be changed\n"
                        + diff("core.EphemeralContainer", (ObjectNode) before, (ObjectNode) after)));
            }
        }
        return errs;
    }

    private static List<FieldError> imageWhitespace(JsonNode containers, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        int i = 0;
        for (JsonNode c : containers) {
            String image = Json.text(c, "image");
            if (!image.equals(image.strip())) {
                errs.add(FieldError.invalid(path.index(i).child("image"), image,
                        "must not have leading or trailing whitespace"));
            }
            i++;
        }
        return errs;
    }

    private static List<FieldError> podUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(
                ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
        FieldPath spec = FieldPath.of("spec");
        // ValidatePodUpdate validates the new spec as a whole before it looks at what changed (an unsupported
        // imagePullPolicy is named beside the Forbidden change); an unchanged spec was valid when it was stored
        if (!obj.path("spec").equals(old.path("spec"))) {
            errs.addAll(new PodSpecValidation("Pod", "v1").validateSpec(obj.path("spec"), spec));
        }
        for (String list : List.of("containers", "initContainers")) {
            JsonNode now = obj.path("spec").path(list);
            if (now.size() != old.path("spec").path(list).size()) {
                errs.add(FieldError.forbidden(spec.child(list), "pod updates may not add or remove containers"));
                return errs;
            }
            int i = 0;
            for (JsonNode c : now) {
                if (Json.text(c, "image").isEmpty()) {
                    errs.add(FieldError.required(spec.child(list).index(i).child("image"), ""));
                }
                i++;
            }
            errs.addAll(imageWhitespace(now, spec.child(list)));
        }
        JsonNode ads = obj.path("spec").get("activeDeadlineSeconds");
        JsonNode oldAds = old.path("spec").get("activeDeadlineSeconds");
        if (Json.present(ads)) {
            if (ads.asLong() < 0 || ads.asLong() > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid(spec.child("activeDeadlineSeconds"), ads.asLong(),
                        Formats.inclusiveRangeError(0, Integer.MAX_VALUE)));
                return errs;
            }
            if (Json.present(oldAds) && oldAds.asLong() < ads.asLong()) {
                errs.add(FieldError.invalid(spec.child("activeDeadlineSeconds"), ads.asLong(),
                        "must be less than or equal to previous value"));
                return errs;
            }
        } else if (Json.present(oldAds)) {
            errs.add(FieldError.invalid(spec.child("activeDeadlineSeconds"), null,
                    "must not update from a positive integer to nil value"));
        }
        // most pod writes (status, annotations, labels) leave the spec alone: nothing to compare field by field
        if (obj.path("spec").equals(old.path("spec"))) return errs;
        ObjectNode munged = obj.path("spec") instanceof ObjectNode s ? s.deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode before = old.path("spec") instanceof ObjectNode s ? s.deepCopy() : JsonNodeFactory.instance.objectNode();
        for (String list : List.of("containers", "initContainers")) {
            JsonNode oldList = before.path(list);
            int i = 0;
            for (JsonNode c : munged.path(list)) {
                // images may change: compare the rest with the old images put back
                JsonNode oldImage = oldList.path(i).get("image");
                if (c instanceof ObjectNode container) {
                    if (oldImage == null) container.remove("image");
                    else container.set("image", oldImage);
                }
                i++;
            }
        }
        munged.remove("activeDeadlineSeconds");
        before.remove("activeDeadlineSeconds");
        // Tolerations may only be added to.
        JsonNode tolerations = munged.remove("tolerations");
        JsonNode oldTolerations = before.remove("tolerations");
        if (Json.present(oldTolerations)) {
            for (JsonNode t : oldTolerations) {
                boolean kept = false;
                if (Json.present(tolerations)) {
                    for (JsonNode n : tolerations) {
                        kept |= n.equals(t);
                    }
                }
                if (!kept) {
                    errs.add(FieldError.forbidden(spec.child("tolerations"),
                            "existing toleration can not be modified except its tolerationSeconds"));
                    break;
                }
            }
        }
        JsonNode tgps = munged.get("terminationGracePeriodSeconds");
        JsonNode oldTgps = before.get("terminationGracePeriodSeconds");
        if (Json.present(tgps) && Json.present(oldTgps) && oldTgps.asLong() < 0 && tgps.asLong() == 1) {
            munged.remove("terminationGracePeriodSeconds");
            before.remove("terminationGracePeriodSeconds");
        }
        if (!munged.equals(before)) {
            errs.add(FieldError.forbidden(spec, POD_UPDATE_FORBIDDEN + "\n" + diff("core.PodSpec", before, munged)));
        }
        return errs;
    }

    /** A short description of the changed fields of a Go struct (the real server prints a Go struct diff here). */
    private static String diff(String goType, ObjectNode before, ObjectNode after) {
        StringBuilder b = new StringBuilder("  " + goType + "{\n");
        Set<String> names = new TreeSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (!Objects.equals(before.get(n), after.get(n))) {
                b.append("- \t").append(n).append(": ").append(before.get(n)).append(",\n");
                b.append("+ \t").append(n).append(": ").append(after.get(n)).append(",\n");
            }
        }
        return b.append("  }\n").toString();
    }

    // ---- Namespace ----

    static List<FieldError> namespace(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(obj.path("metadata"), false, NameRule.DNS_LABEL)
                : ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
        FieldPath path = FieldPath.of("spec", "finalizers");
        for (JsonNode f : obj.path("spec").path("finalizers")) {
            String name = f.asText();
            for (String msg : Formats.isQualifiedName(name)) {
                errs.add(FieldError.invalid(path, name, msg));
            }
            if (!name.contains("/") && !Set.of("kubernetes", "orphan", "foregroundDeletion").contains(name)) {
                errs.add(FieldError.invalid(path, name,
                        "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
        return errs;
    }

    // ---- ConfigMap and Secret ----

    static List<FieldError> configMap(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(obj.path("metadata"), true, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
        long total = 0;
        Set<String> dataKeys = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : sorted(obj.path("data"))) {
            for (String msg : Formats.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid(FieldPath.of("data").key(e.getKey()), e.getKey(), msg));
            }
            dataKeys.add(e.getKey());
            total += Formats.byteLength(e.getValue().asText());
        }
        for (Map.Entry<String, JsonNode> e : sorted(obj.path("binaryData"))) {
            FieldPath p = FieldPath.of("binaryData").key(e.getKey());
            for (String msg : Formats.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid(p, e.getKey(), msg));
            }
            if (dataKeys.contains(e.getKey())) {
                errs.add(FieldError.invalid(p, e.getKey(), "duplicate of key present in data"));
            }
            total += decodedLength(e.getValue());
        }
        if (total > MAX_SECRET_SIZE) {
            errs.add(FieldError.tooLong(FieldPath.of(""), MAX_SECRET_SIZE));
        }
        if (old != null) {
            errs.addAll(immutableData(obj, old, List.of("data", "binaryData")));
        }
        return errs;
    }

    static List<FieldError> secret(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(obj.path("metadata"), true, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
        FieldPath dataPath = FieldPath.of("data");
        long total = 0;
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : sorted(obj.path("data"))) {
            for (String msg : Formats.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid(dataPath.key(e.getKey()), e.getKey(), msg));
            }
            keys.add(e.getKey());
            total += decodedLength(e.getValue());
        }
        if (total > MAX_SECRET_SIZE) {
            errs.add(FieldError.tooLong(dataPath, MAX_SECRET_SIZE));
        }
        String type = Json.text(obj, "type");
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                if (Json.text(obj.path("metadata").path("annotations"), "kubernetes.io/service-account.name")
                        .isEmpty()) {
                    errs.add(FieldError.required(FieldPath.of("metadata", "annotations")
                            .key("kubernetes.io/service-account.name"), ""));
                }
            }
            case "kubernetes.io/dockercfg" -> requireKey(keys, dataPath, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> requireKey(keys, dataPath, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (!keys.contains("username") && !keys.contains("password")) {
                    errs.add(FieldError.required(dataPath.key("username"), ""));
                    errs.add(FieldError.required(dataPath.key("password"), ""));
                }
            }
            case "kubernetes.io/ssh-auth" -> requireKey(keys, dataPath, "ssh-privatekey", errs);
            case "kubernetes.io/tls" -> {
                requireKey(keys, dataPath, "tls.key", errs);
                requireKey(keys, dataPath, "tls.crt", errs);
            }
            default -> {
            }
        }
        if (old != null) {
            String oldType = Json.text(old, "type");
            if (!type.equals(oldType)) {
                errs.add(FieldError.invalid(FieldPath.of("type"), type, ObjectMetaValidation.FIELD_IMMUTABLE));
            }
            errs.addAll(immutableData(obj, old, List.of("data")));
        }
        return errs;
    }

    private static void requireKey(Set<String> keys, FieldPath dataPath, String key, List<FieldError> errs) {
        if (!keys.contains(key)) {
            errs.add(FieldError.required(dataPath.key(key), ""));
        }
    }

    private static List<FieldError> immutableData(ObjectNode obj, ObjectNode old, List<String> fields) {
        List<FieldError> errs = new ArrayList<>();
        if (!old.path("immutable").asBoolean(false)) {
            return errs;
        }
        String msg = "field is immutable when `immutable` is set";
        if (!obj.path("immutable").asBoolean(false)) {
            errs.add(FieldError.forbidden(FieldPath.of("immutable"), msg));
        }
        for (String f : fields) {
            if (!Objects.equals(emptyToNull(obj.get(f)), emptyToNull(old.get(f)))) {
                errs.add(FieldError.forbidden(FieldPath.of(f), msg));
            }
        }
        return errs;
    }

    private static JsonNode emptyToNull(JsonNode n) {
        return Json.present(n) && n.size() > 0 ? n : null;
    }

    private static long decodedLength(JsonNode base64) {
        try {
            return Base64.getDecoder().decode(base64.asText()).length;
        } catch (IllegalArgumentException e) {
            return Formats.byteLength(base64.asText());
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> sorted(JsonNode n) {
        TreeMap<String, JsonNode> m = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : Json.fields(n)) {
            m.put(e.getKey(), e.getValue());
        }
        return m.entrySet();
    }

    // ---- Service ----

    private static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> SESSION_AFFINITIES = List.of("ClientIP", "None");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");

    static List<FieldError> service(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(obj.path("metadata"), true, NameRule.DNS1035_LABEL)
                : ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
        JsonNode spec = obj.path("spec");
        FieldPath specPath = FieldPath.of("spec");
        String type = Json.text(spec, "type");
        boolean headless = "None".equals(Json.text(spec, "clusterIP"));
        JsonNode ports = spec.path("ports");
        if (ports.size() == 0 && !headless && !type.equals("ExternalName")) {
            errs.add(FieldError.required(specPath.child("ports"), ""));
        }
        switch (type) {
            case "LoadBalancer" -> {
                if (headless) {
                    errs.add(FieldError.invalid(specPath.child("clusterIPs").index(0), "None",
                            "may not be set to 'None' for LoadBalancer services"));
                }
                int i = 0;
                for (JsonNode p : ports) {
                    if (p.path("port").asLong() == 10250) {
                        errs.add(FieldError.invalid(specPath.child("ports").index(i), 10250L,
                                "may not expose port 10250 externally since it is used by kubelet"));
                    }
                    i++;
                }
            }
            case "NodePort" -> {
                if (headless) {
                    errs.add(FieldError.invalid(specPath.child("clusterIPs").index(0), "None",
                            "may not be set to 'None' for NodePort services"));
                }
            }
            case "ExternalName" -> {
                if (!Json.text(spec, "clusterIP").isEmpty() || spec.path("clusterIPs").size() > 0) {
                    errs.add(FieldError.forbidden(specPath.child("clusterIPs"), "may not be set for ExternalName services"));
                }
                String cname = Json.text(spec, "externalName");
                if (cname.endsWith(".")) {
                    cname = cname.substring(0, cname.length() - 1);
                }
                if (cname.isEmpty()) {
                    errs.add(FieldError.required(specPath.child("externalName"), ""));
                } else {
                    for (String msg : Formats.isDNS1123Subdomain(cname)) {
                        errs.add(FieldError.invalid(specPath.child("externalName"), cname, msg));
                    }
                }
            }
            default -> {
            }
        }
        Set<String> portNames = new HashSet<>();
        int i = 0;
        for (JsonNode p : ports) {
            errs.addAll(servicePort(p, ports.size() > 1, portNames, specPath.child("ports").index(i++)));
        }
        errs.addAll(ObjectMetaValidation.validateLabels(Json.stringMap(spec.get("selector")),
                specPath.child("selector")));
        String affinity = Json.text(spec, "sessionAffinity");
        if (affinity.isEmpty()) {
            errs.add(FieldError.required(specPath.child("sessionAffinity"), ""));
        } else if (!SESSION_AFFINITIES.contains(affinity)) {
            errs.add(FieldError.notSupported(specPath.child("sessionAffinity"), affinity, SESSION_AFFINITIES));
        }
        if (affinity.equals("None") && Json.present(spec.get("sessionAffinityConfig"))) {
            errs.add(FieldError.forbidden(specPath.child("sessionAffinityConfig"),
                    "must not be set when session affinity is None"));
        }
        if (type.isEmpty()) {
            errs.add(FieldError.required(specPath.child("type"), ""));
        } else if (!SERVICE_TYPES.contains(type)) {
            errs.add(FieldError.notSupported(specPath.child("type"), type, SERVICE_TYPES));
        }
        if (type.equals("ClusterIP")) {
            i = 0;
            for (JsonNode p : ports) {
                if (p.path("nodePort").asLong(0) != 0) {
                    errs.add(FieldError.forbidden(specPath.child("ports").index(i).child("nodePort"),
                            "may not be used when `type` is 'ClusterIP'"));
                }
                i++;
            }
        }
        Set<String> nodePorts = new HashSet<>();
        Set<String> portKeys = new HashSet<>();
        i = 0;
        for (JsonNode p : ports) {
            FieldPath pp = specPath.child("ports").index(i++);
            long nodePort = p.path("nodePort").asLong(0);
            String protocol = Json.text(p, "protocol");
            if (nodePort != 0 && !nodePorts.add(protocol + "/" + nodePort)) {
                errs.add(FieldError.duplicate(pp.child("nodePort"), nodePort));
            }
            long port = p.path("port").asLong(0);
            if (!portKeys.add(protocol + "/" + port)) {
                errs.add(FieldError.duplicate(pp, new GoLiteral("core.ServicePort{Name:\"\", Protocol:\""
                        + protocol + "\", AppProtocol:(*string)(nil), Port:" + port
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
            }
        }
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
        String etp = Json.text(spec, "externalTrafficPolicy");
        if (!external) {
            if (!etp.isEmpty()) {
                errs.add(FieldError.invalid(specPath.child("externalTrafficPolicy"), etp,
                        "may only be set for externally-accessible services"));
            }
        } else if (etp.isEmpty()) {
            errs.add(FieldError.required(specPath.child("externalTrafficPolicy"), ""));
        } else if (!TRAFFIC_POLICIES.contains(etp)) {
            errs.add(FieldError.notSupported(specPath.child("externalTrafficPolicy"), etp, TRAFFIC_POLICIES));
        }
        String itp = Json.text(spec, "internalTrafficPolicy");
        if (!itp.isEmpty() && !TRAFFIC_POLICIES.contains(itp)) {
            errs.add(FieldError.notSupported(specPath.child("internalTrafficPolicy"), itp, TRAFFIC_POLICIES));
        }
        if (old != null) {
            String oldIp = Json.text(old.path("spec"), "clusterIP");
            String newIp = Json.text(spec, "clusterIP");
            if (!oldIp.isEmpty() && !newIp.isEmpty() && !oldIp.equals(newIp)
                    && !type.equals("ExternalName") && !Json.text(old.path("spec"), "type").equals("ExternalName")) {
                List<String> ips = new ArrayList<>();
                spec.path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
                errs.add(FieldError.invalid(specPath.child("clusterIPs").index(0), new GoLiteral(
                        GoFormat.stringSlice(ips.isEmpty() ? List.of(newIp) : ips)),
                        "may not change once set"));
            }
        }
        return errs;
    }

    private static List<FieldError> servicePort(JsonNode p, boolean requireName, Set<String> names, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String name = Json.text(p, "name");
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), ""));
        } else if (!name.isEmpty()) {
            for (String msg : Formats.isDNS1123Label(name)) {
                errs.add(FieldError.invalid(path.child("name"), name, msg));
            }
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(path.child("name"), name));
            }
        }
        long port = p.path("port").asLong(0);
        for (String msg : Formats.isValidPortNum(port)) {
            errs.add(FieldError.invalid(path.child("port"), port, msg));
        }
        String protocol = Json.text(p, "protocol");
        if (protocol.isEmpty()) {
            errs.add(FieldError.required(path.child("protocol"), ""));
        } else if (!PodSpecValidation.PROTOCOLS.contains(protocol)) {
            errs.add(FieldError.notSupported(path.child("protocol"), protocol, PodSpecValidation.PROTOCOLS));
        }
        JsonNode target = p.get("targetPort");
        if (Json.present(target)) {
            if (target.isTextual()) {
                for (String msg : Formats.isValidPortName(target.asText())) {
                    errs.add(FieldError.invalid(path.child("targetPort"), target.asText(), msg));
                }
            } else {
                for (String msg : Formats.isValidPortNum(target.asLong())) {
                    errs.add(FieldError.invalid(path.child("targetPort"), target.asLong(), msg));
                }
            }
        }
        String appProtocol = Json.text(p, "appProtocol");
        if (Json.present(p.get("appProtocol"))) {
            for (String msg : Formats.isQualifiedName(appProtocol)) {
                errs.add(FieldError.invalid(path.child("appProtocol"), appProtocol, msg));
            }
        }
        return errs;
    }
}
