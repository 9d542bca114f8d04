package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.fieldvalidation.FieldValidation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kubefake.store.registry.errors.GoLiteral;

/**
 * The user-reachable rules of a PodSpec and PodTemplateSpec (core validation's {@code ValidatePodSpec},
 * {@code validateContainers}, ports, volumes and mounts, env, resources, policies), in the order the real
 * server reports them. A malformed resource quantity is a decode error there, so it is thrown as the same 400.
 */
public final class PodSpecValidation {

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim",
            "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
            "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume",
            "scaleIO", "storageos", "csi", "ephemeral", "image");

    private final String kind;
    private final String apiVersion;

    /** Rules for pods of objects of the given kind and apiVersion (used in decode-error messages). */
    public PodSpecValidation(String kind, String apiVersion) {
        this.kind = kind;
        this.apiVersion = apiVersion;
    }

    /** {@code ValidatePodTemplateSpec}: template labels, annotations and spec. */
    public List<FieldError> validateTemplate(JsonNode template, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode meta = template.path("metadata");
        errs.addAll(ObjectMetaValidation.validateLabels(Json.stringMap(meta.get("labels")), path.child("labels")));
        errs.addAll(ObjectMetaValidation.validateAnnotations(Json.stringMap(meta.get("annotations")),
                path.child("annotations")));
        errs.addAll(validateSpec(template.path("spec"), path.child("spec")));
        if (template.path("spec").path("ephemeralContainers").size() > 0) {
            errs.add(FieldError.forbidden(path.child("spec", "ephemeralContainers"),
                    "ephemeral containers not allowed in pod template"));
        }
        return errs;
    }

    /** {@code ValidatePodSpec}. */
    public List<FieldError> validateSpec(JsonNode spec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> volumes = new HashSet<>();
        errs.addAll(validateVolumes(spec.path("volumes"), path.child("volumes"), volumes));
        errs.addAll(validateContainers(spec.path("containers"), volumes, path.child("containers"), true));
        if (spec.path("initContainers").size() > 0) {
            errs.addAll(validateContainers(spec.path("initContainers"), volumes, path.child("initContainers"), false));
            Set<String> names = new HashSet<>();
            spec.path("containers").forEach(c -> names.add(Json.text(c, "name")));
            int i = 0;
            for (JsonNode c : spec.path("initContainers")) {
                String name = Json.text(c, "name");
                if (names.contains(name)) {
                    errs.add(FieldError.duplicate(path.child("initContainers").index(i).child("name"), name));
                }
                if (!name.isEmpty()) {
                    names.add(name);
                }
                i++;
            }
        }
        errs.addAll(validateEphemeralContainers(spec, volumes, path.child("ephemeralContainers")));
        errs.addAll(oneOf(Json.text(spec, "restartPolicy"), RESTART_POLICIES, path.child("restartPolicy")));
        errs.addAll(oneOf(Json.text(spec, "dnsPolicy"), DNS_POLICIES, path.child("dnsPolicy")));
        errs.addAll(ObjectMetaValidation.validateLabels(Json.stringMap(spec.get("nodeSelector")),
                path.child("nodeSelector")));
        if ("None".equals(Json.text(spec, "dnsPolicy"))) {
            if (!Json.present(spec.get("dnsConfig"))) {
                errs.add(FieldError.required(path.child("dnsConfig"),
                        "must provide `dnsConfig` when `dnsPolicy` is None"));
            } else if (spec.path("dnsConfig").path("nameservers").size() == 0) {
                errs.add(FieldError.required(path.child("dnsConfig", "nameservers"),
                        "must provide at least one DNS nameserver when `dnsPolicy` is None"));
            }
        }
        String serviceAccount = Json.text(spec, "serviceAccountName");
        if (!serviceAccount.isEmpty()) {
            for (String msg : Formats.nameIsDNSSubdomain(serviceAccount, false)) {
                errs.add(FieldError.invalid(path.child("serviceAccountName"), serviceAccount, msg));
            }
        }
        String nodeName = Json.text(spec, "nodeName");
        if (!nodeName.isEmpty()) {
            for (String msg : Formats.nameIsDNSSubdomain(nodeName, false)) {
                errs.add(FieldError.invalid(path.child("nodeName"), nodeName, msg));
            }
        }
        JsonNode ads = spec.get("activeDeadlineSeconds");
        if (Json.present(ads) && (ads.asLong() < 1 || ads.asLong() > Integer.MAX_VALUE)) {
            errs.add(FieldError.invalid(path.child("activeDeadlineSeconds"), ads.asLong(),
                    Formats.inclusiveRangeError(1, Integer.MAX_VALUE)));
        }
        for (String f : List.of("hostname", "subdomain")) {
            String v = Json.text(spec, f);
            if (!v.isEmpty()) {
                for (String msg : Formats.isDNS1123Label(v)) {
                    errs.add(FieldError.invalid(path.child(f), v, msg));
                }
            }
        }
        errs.addAll(validateTolerations(spec.path("tolerations"), path.child("tolerations")));
        return errs;
    }

    /**
     * {@code validateEphemeralContainers}: each one is checked as a container, its name must be unique across all the
     * pod's containers, its target must be a regular or init container, and what would make the pod rely on it
     * (ports, resources, probes, lifecycle, restart policy, subPath mounts) is forbidden.
     */
    private List<FieldError> validateEphemeralContainers(JsonNode spec, Set<String> volumes, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (spec.path("ephemeralContainers").isEmpty()) return errs;
        Set<String> others = new HashSet<>();
        for (String list : List.of("containers", "initContainers")) {
            spec.path(list).forEach(c -> others.add(Json.text(c, "name")));
        }
        Set<String> all = new HashSet<>(others);
        int i = 0;
        for (JsonNode c : spec.path("ephemeralContainers")) {
            FieldPath idx = path.index(i++);
            errs.addAll(validateContainerCommon(c, volumes, idx));
            String name = Json.text(c, "name");
            if (!all.add(name)) errs.add(FieldError.duplicate(idx.child("name"), name));
            String target = Json.text(c, "targetContainerName");
            if (!target.isEmpty() && !others.contains(target)) {
                errs.add(FieldError.notFound(idx.child("targetContainerName"), target));
            }
            // in the Go struct's field order, as the real allow-list walks it
            for (String field : EPHEMERAL_FORBIDDEN) {
                JsonNode value = c.get(field);
                boolean set = Json.present(value) && !(value.isObject() && value.isEmpty());
                if (set) errs.add(FieldError.forbidden(idx.child(field), EPHEMERAL_FORBIDDEN_MESSAGE));
            }
            int m = 0;
            for (JsonNode mount : c.path("volumeMounts")) {
                for (String field : List.of("subPath", "subPathExpr")) {
                    if (!Json.text(mount, field).isEmpty()) {
                        errs.add(FieldError.forbidden(idx.child("volumeMounts").index(m).child(field),
                                EPHEMERAL_FORBIDDEN_MESSAGE));
                    }
                }
                m++;
            }
        }
        return errs;
    }

    private static final List<String> EPHEMERAL_FORBIDDEN = List.of("ports", "resources", "resizePolicy",
            "restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle");
    private static final String EPHEMERAL_FORBIDDEN_MESSAGE = "cannot be set for an Ephemeral Container";

    private static List<FieldError> oneOf(String value, List<String> allowed, FieldPath path) {
        if (value.isEmpty()) {
            return List.of(FieldError.required(path, ""));
        }
        if (!allowed.contains(value)) {
            return List.of(FieldError.notSupported(path, value, allowed));
        }
        return List.of();
    }

    private List<FieldError> validateVolumes(JsonNode volumes, FieldPath path, Set<String> names) {
        List<FieldError> errs = new ArrayList<>();
        int i = 0;
        for (JsonNode v : volumes) {
            FieldPath idx = path.index(i++);
            String name = Json.text(v, "name");
            List<String> sources = new ArrayList<>();
            for (String s : VOLUME_SOURCES) {
                if (Json.present(v.get(s))) {
                    sources.add(s);
                }
            }
            if (sources.isEmpty()) {
                errs.add(FieldError.required(idx, "must specify a volume type"));
            } else if (sources.size() > 1) {
                errs.add(FieldError.forbidden(idx.child(sources.get(1)), "may not specify more than 1 volume type"));
            } else {
                errs.addAll(validateVolumeSource(sources.get(0), v.get(sources.get(0)), idx.child(sources.get(0))));
            }
            if (name.isEmpty()) {
                errs.add(FieldError.required(idx.child("name"), ""));
            } else {
                for (String msg : Formats.isDNS1123Label(name)) {
                    errs.add(FieldError.invalid(idx.child("name"), name, msg));
                }
            }
            if (names.contains(name)) {
                errs.add(FieldError.duplicate(idx.child("name"), name));
            }
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return errs;
    }

    private static List<FieldError> validateVolumeSource(String type, JsonNode src, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        switch (type) {
            case "configMap" -> {
                if (Json.text(src, "name").isEmpty()) {
                    errs.add(FieldError.required(path.child("name"), ""));
                }
            }
            case "secret" -> {
                if (Json.text(src, "secretName").isEmpty()) {
                    errs.add(FieldError.required(path.child("secretName"), ""));
                }
            }
            case "persistentVolumeClaim" -> {
                if (Json.text(src, "claimName").isEmpty()) {
                    errs.add(FieldError.required(path.child("claimName"), ""));
                }
            }
            case "hostPath" -> {
                if (Json.text(src, "path").isEmpty()) {
                    errs.add(FieldError.required(path.child("path"), ""));
                }
            }
            case "nfs" -> {
                if (Json.text(src, "server").isEmpty()) {
                    errs.add(FieldError.required(path.child("server"), ""));
                }
                String p = Json.text(src, "path");
                if (p.isEmpty()) {
                    errs.add(FieldError.required(path.child("path"), ""));
                } else if (!p.startsWith("/")) {
                    errs.add(FieldError.invalid(path.child("path"), p, "must be an absolute path"));
                }
            }
            default -> {
            }
        }
        return errs;
    }

    private List<FieldError> validateContainers(JsonNode containers, Set<String> volumes, FieldPath path,
                                                boolean regular) {
        List<FieldError> errs = new ArrayList<>();
        if (containers.size() == 0) {
            if (regular) {
                errs.add(FieldError.required(path, ""));
            }
            return errs;
        }
        Set<String> names = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        int i = 0;
        for (JsonNode c : containers) {
            FieldPath idx = path.index(i++);
            errs.addAll(validateContainerCommon(c, volumes, idx));
            String name = Json.text(c, "name");
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(idx.child("name"), name));
            }
            if (regular && Json.present(c.get("restartPolicy"))) {
                errs.add(FieldError.forbidden(idx.child("restartPolicy"), "may not be set for non-init containers"));
            }
            JsonNode liveness = c.get("livenessProbe");
            if (Json.present(liveness) && liveness.has("successThreshold")
                    && liveness.path("successThreshold").asInt() != 1) {
                errs.add(FieldError.invalid(idx.child("livenessProbe", "successThreshold"),
                        liveness.path("successThreshold").asInt(), "must be 1"));
            }
        }
        // Host ports may not collide across containers (protocol/hostIP/port).
        i = 0;
        for (JsonNode c : containers) {
            int p = 0;
            for (JsonNode port : c.path("ports")) {
                long hostPort = port.path("hostPort").asLong(0);
                if (hostPort != 0) {
                    String key = Json.text(port, "protocol") + "/" + Json.text(port, "hostIP") + "/" + hostPort;
                    if (!hostPorts.add(key)) {
                        errs.add(FieldError.duplicate(path.index(i).child("ports").index(p).child("hostPort"), key));
                    }
                }
                p++;
            }
            i++;
        }
        return errs;
    }

    private List<FieldError> validateContainerCommon(JsonNode c, Set<String> volumes, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String name = Json.text(c, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), ""));
        } else {
            for (String msg : Formats.isDNS1123Label(name)) {
                errs.add(FieldError.invalid(path.child("name"), name, msg));
            }
        }
        if (Json.text(c, "image").isEmpty()) {
            errs.add(FieldError.required(path.child("image"), ""));
        }
        errs.addAll(oneOf(Json.text(c, "terminationMessagePolicy"), TERMINATION_MESSAGE_POLICIES,
                path.child("terminationMessagePolicy")));
        errs.addAll(validateContainerPorts(c.path("ports"), path.child("ports")));
        errs.addAll(validateEnv(c.path("env"), path.child("env")));
        errs.addAll(validateVolumeMounts(c.path("volumeMounts"), volumes, path.child("volumeMounts")));
        errs.addAll(oneOf(Json.text(c, "imagePullPolicy"), PULL_POLICIES, path.child("imagePullPolicy")));
        errs.addAll(validateResources(c.path("resources"), path.child("resources")));
        return errs;
    }

    private static List<FieldError> validateContainerPorts(JsonNode ports, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode port : ports) {
            FieldPath idx = path.index(i++);
            String name = Json.text(port, "name");
            if (!name.isEmpty()) {
                List<String> msgs = Formats.isValidPortName(name);
                if (!msgs.isEmpty()) {
                    for (String msg : msgs) {
                        errs.add(FieldError.invalid(idx.child("name"), name, msg));
                    }
                } else if (!names.add(name)) {
                    errs.add(FieldError.duplicate(idx.child("name"), name));
                }
            }
            long containerPort = port.path("containerPort").asLong(0);
            if (containerPort == 0) {
                errs.add(FieldError.required(idx.child("containerPort"), ""));
            } else {
                for (String msg : Formats.isValidPortNum(containerPort)) {
                    errs.add(FieldError.invalid(idx.child("containerPort"), containerPort, msg));
                }
            }
            long hostPort = port.path("hostPort").asLong(0);
            if (hostPort != 0) {
                for (String msg : Formats.isValidPortNum(hostPort)) {
                    errs.add(FieldError.invalid(idx.child("hostPort"), hostPort, msg));
                }
            }
            errs.addAll(oneOf(Json.text(port, "protocol"), PROTOCOLS, idx.child("protocol")));
        }
        return errs;
    }

    private static List<FieldError> validateEnv(JsonNode env, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        int i = 0;
        for (JsonNode e : env) {
            FieldPath idx = path.index(i++);
            String name = Json.text(e, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(idx.child("name"), ""));
            } else {
                // RelaxedEnvironmentVariableValidation is on by default in 1.33.
                boolean ok = name.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f && ch != '=');
                if (!ok) {
                    errs.add(FieldError.invalid(idx.child("name"), name,
                            "a valid environment variable name must consist only of printable ASCII characters "
                                    + "other than '='"));
                }
            }
            JsonNode from = e.get("valueFrom");
            if (Json.present(from)) {
                int sources = 0;
                for (String s : List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef",
                        "fileKeyRef")) {
                    if (Json.present(from.get(s))) {
                        sources++;
                    }
                }
                if (Json.present(e.get("value")) && !Json.text(e, "value").isEmpty()) {
                    errs.add(FieldError.invalid(idx.child("valueFrom"), "",
                            "may not be specified when `value` is not empty"));
                } else if (sources == 0) {
                    errs.add(FieldError.invalid(idx.child("valueFrom"), "",
                            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
                                    + "`secretKeyRef`"));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validateVolumeMounts(JsonNode mounts, Set<String> volumes, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> mountPaths = new HashSet<>();
        int i = 0;
        for (JsonNode m : mounts) {
            FieldPath idx = path.index(i++);
            String name = Json.text(m, "name");
            String mountPath = Json.text(m, "mountPath");
            if (name.isEmpty()) {
                errs.add(FieldError.required(idx.child("name"), ""));
            }
            if (!volumes.contains(name)) {
                errs.add(FieldError.notFound(idx.child("name"), name));
            }
            if (mountPath.isEmpty()) {
                errs.add(FieldError.required(idx.child("mountPath"), ""));
            }
            if (!mountPaths.add(mountPath)) {
                errs.add(FieldError.invalid(idx.child("mountPath"), mountPath, "must be unique"));
            }
            String subPath = Json.text(m, "subPath");
            if (subPath.startsWith("/")) {
                errs.add(FieldError.invalid(idx.child("subPath"), subPath, "must be a relative path"));
            }
        }
        return errs;
    }

    private List<FieldError> validateResources(JsonNode resources, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        FieldPath limPath = path.child("limits");
        FieldPath reqPath = path.child("requests");
        Map<String, Quantity> limits = quantities(resources.path("limits"));
        Map<String, Quantity> requests = quantities(resources.path("requests"));
        for (Map.Entry<String, Quantity> e : limits.entrySet()) {
            FieldPath p = limPath.key(e.getKey());
            errs.addAll(ResourceNames.validateForContainers(e.getKey(), p));
            if (e.getValue().isNegative()) {
                errs.add(FieldError.invalid(p, e.getValue().toString(), ObjectMetaValidation.IS_NEGATIVE));
            }
        }
        for (Map.Entry<String, Quantity> e : requests.entrySet()) {
            String resource = e.getKey();
            FieldPath p = reqPath.key(resource);
            errs.addAll(ResourceNames.validateForContainers(resource, p));
            Quantity q = e.getValue();
            if (q.isNegative()) {
                errs.add(FieldError.invalid(p, q.toString(), ObjectMetaValidation.IS_NEGATIVE));
            }
            Quantity limit = limits.get(resource);
            boolean overcommit = ResourceNames.overcommitAllowed(resource);
            if (limit != null) {
                if (q.compareTo(limit) != 0 && !overcommit) {
                    errs.add(FieldError.invalid(reqPath, q.toString(),
                            "must be equal to " + resource + " limit of " + limit));
                } else if (q.compareTo(limit) > 0) {
                    errs.add(FieldError.invalid(reqPath, q.toString(),
                            "must be less than or equal to " + resource + " limit of " + limit));
                }
            } else if (!overcommit) {
                errs.add(FieldError.required(limPath, "Limit must be set for non overcommitable resources"));
            }
        }
        return errs;
    }

    private Map<String, Quantity> quantities(JsonNode list) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : new TreeMap<>(toMap(list)).entrySet()) {
            try {
                out.put(e.getKey(), Quantity.parse(e.getValue().asText()));
            } catch (IllegalArgumentException ex) {
                throw FieldValidation.decodeFailure(kind,
                        apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion,
                        ex.getMessage());
            }
        }
        return out;
    }

    private static Map<String, JsonNode> toMap(JsonNode n) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : Json.fields(n)) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static List<FieldError> validateTolerations(JsonNode tolerations, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        int i = 0;
        for (JsonNode t : tolerations) {
            FieldPath idx = path.index(i++);
            String key = Json.text(t, "key");
            String operator = Json.text(t, "operator");
            String effect = Json.text(t, "effect");
            if (!key.isEmpty()) {
                errs.addAll(ObjectMetaValidation.validateLabelName(key, idx.child("key")));
            }
            if (key.isEmpty() && !operator.equals("Exists")) {
                errs.add(FieldError.invalid(idx.child("operator"), operator,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            if (Json.present(t.get("tolerationSeconds")) && !effect.equals("NoExecute")) {
                errs.add(FieldError.invalid(idx.child("effect"), effect,
                        "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            switch (operator) {
                case "Equal", "" -> {
                    List<String> msgs = Formats.isValidLabelValue(Json.text(t, "value"));
                    if (!msgs.isEmpty()) {
                        errs.add(FieldError.invalid(idx.child("operator"), Json.text(t, "value"),
                                String.join(";", msgs)));
                    }
                }
                case "Exists" -> {
                    if (!Json.text(t, "value").isEmpty()) {
                        errs.add(FieldError.invalid(idx.child("operator"),
                                new GoLiteral(t.toString()),
                                "value must be empty when `operator` is 'Exists'"));
                    }
                }
                default -> errs.add(FieldError.notSupported(idx.child("operator"), operator,
                        List.of("Equal", "Exists")));
            }
            if (!effect.isEmpty() && !List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
                errs.add(FieldError.notSupported(idx.child("effect"), effect,
                        List.of("NoSchedule", "PreferNoSchedule", "NoExecute")));
            }
        }
        return errs;
    }
}
