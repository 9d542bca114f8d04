package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.GoLiteral;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * storage.k8s.io/v1 validation ({@code pkg/apis/storage/validation}): StorageClasses (a qualified provisioner name,
 * supported reclaim policy and binding mode; provisioner, parameters, reclaim policy and binding mode fixed once
 * created), CSIDrivers, CSINodes, CSIStorageCapacities and VolumeAttachments (whose spec is fixed).
 */
final class StorageValidation {
    private static final List<String> RECLAIM_POLICIES = List.of("Delete", "Retain");
    private static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");
    private static final List<String> FS_GROUP_POLICIES = List.of("File", "None", "ReadWriteOnceWithFSType");
    private static final List<String> LIFECYCLE_MODES = List.of("Ephemeral", "Persistent");
    private static final int MAX_PARAMETERS = 512;
    private static final int MAX_PARAMETERS_SIZE = 256 * 1024;

    private StorageValidation() {
    }

    static List<FieldError> storageClass(ObjectNode sc, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        if (old != null) {
            errs.addAll(ObjectMetaValidation.validateUpdate(sc.path("metadata"), old.path("metadata")));
            if (!Objects.equals(Json.stringMap(sc.get("parameters")), Json.stringMap(old.get("parameters")))) {
                errs.add(FieldError.forbidden(FieldPath.of("parameters"), "updates to parameters are forbidden."));
            }
            if (!Json.text(sc, "provisioner").equals(Json.text(old, "provisioner"))) {
                errs.add(FieldError.forbidden(FieldPath.of("provisioner"), "updates to provisioner are forbidden."));
            }
            if (!Json.text(sc, "reclaimPolicy").equals(Json.text(old, "reclaimPolicy"))) {
                errs.add(FieldError.forbidden(FieldPath.of("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
            }
            if (!Json.text(sc, "volumeBindingMode").equals(Json.text(old, "volumeBindingMode"))) {
                errs.add(FieldError.invalid(FieldPath.of("volumeBindingMode"), Json.text(sc, "volumeBindingMode"),
                        ObjectMetaValidation.FIELD_IMMUTABLE));
            }
            return errs;
        }
        errs.addAll(ObjectMetaValidation.validate(sc.path("metadata"), false, NameRule.DNS_SUBDOMAIN));
        String provisioner = Json.text(sc, "provisioner");
        if (provisioner.isEmpty()) {
            errs.add(FieldError.required(FieldPath.of("provisioner"), ""));
        } else {
            for (String msg : Formats.isQualifiedName(provisioner.toLowerCase(java.util.Locale.ROOT))) {
                errs.add(FieldError.invalid(FieldPath.of("provisioner"), provisioner, msg));
            }
        }
        errs.addAll(parameters(Json.stringMap(sc.get("parameters"))));
        String reclaim = Json.text(sc, "reclaimPolicy");
        if (!reclaim.isEmpty() && !RECLAIM_POLICIES.contains(reclaim)) {
            errs.add(FieldError.notSupported(FieldPath.of("reclaimPolicy"), reclaim, RECLAIM_POLICIES));
        }
        JsonNode mode = sc.get("volumeBindingMode");
        if (!Json.present(mode)) {
            errs.add(FieldError.required(FieldPath.of("volumeBindingMode"), ""));
        } else if (!BINDING_MODES.contains(mode.asText())) {
            errs.add(FieldError.notSupported(FieldPath.of("volumeBindingMode"), mode.asText(), BINDING_MODES));
        }
        return errs;
    }

    private static List<FieldError> parameters(Map<String, String> params) {
        List<FieldError> errs = new ArrayList<>();
        if (params == null) return errs;
        FieldPath path = FieldPath.of("parameters");
        if (params.size() > MAX_PARAMETERS) {
            errs.add(FieldError.tooLong(path, MAX_PARAMETERS));
            return errs;
        }
        long size = 0;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().isEmpty()) errs.add(FieldError.invalid(path, e.getKey(), "field can not be empty."));
            size += Formats.byteLength(e.getKey()) + Formats.byteLength(e.getValue());
        }
        if (size > MAX_PARAMETERS_SIZE) errs.add(FieldError.tooLong(path, MAX_PARAMETERS_SIZE));
        return errs;
    }

    static List<FieldError> csiDriver(ObjectNode driver, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(driver.path("metadata"), false, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(driver.path("metadata"), old.path("metadata")));
        JsonNode spec = driver.path("spec");
        FieldPath specPath = FieldPath.of("spec");
        String policy = Json.text(spec, "fsGroupPolicy");
        if (!policy.isEmpty() && !FS_GROUP_POLICIES.contains(policy)) {
            errs.add(FieldError.notSupported(specPath.child("fsGroupPolicy"), policy, FS_GROUP_POLICIES));
        }
        for (JsonNode m : spec.path("volumeLifecycleModes")) {
            if (!LIFECYCLE_MODES.contains(m.asText())) {
                errs.add(FieldError.notSupported(specPath.child("volumeLifecycleModes"), m.asText(), LIFECYCLE_MODES));
            }
        }
        if (old != null) {
            JsonNode was = old.path("spec");
            if (!spec.path("attachRequired").equals(was.path("attachRequired"))) {
                errs.add(FieldError.invalid(specPath.child("attachRequired"), spec.path("attachRequired").asBoolean(),
                        ObjectMetaValidation.FIELD_IMMUTABLE));
            }
            if (!Json.text(spec, "fsGroupPolicy").equals(Json.text(was, "fsGroupPolicy"))) {
                errs.add(FieldError.invalid(specPath.child("fsGroupPolicy"), Json.text(spec, "fsGroupPolicy"),
                        ObjectMetaValidation.FIELD_IMMUTABLE));
            }
            if (!spec.path("volumeLifecycleModes").equals(was.path("volumeLifecycleModes"))) {
                errs.add(FieldError.invalid(specPath.child("volumeLifecycleModes"),
                        new GoLiteral(goStrings("storage.VolumeLifecycleMode", spec.path("volumeLifecycleModes"))),
                        ObjectMetaValidation.FIELD_IMMUTABLE));
            }
        }
        return errs;
    }

    static List<FieldError> csiNode(ObjectNode node, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(node.path("metadata"), false, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(node.path("metadata"), old.path("metadata")));
        FieldPath drivers = FieldPath.of("spec", "drivers");
        int i = 0;
        for (JsonNode d : node.path("spec").path("drivers")) {
            FieldPath p = drivers.index(i++);
            if (Json.text(d, "name").isEmpty()) errs.add(FieldError.required(p.child("name"), ""));
            if (Json.text(d, "nodeID").isEmpty()) errs.add(FieldError.required(p.child("nodeID"), ""));
        }
        return errs;
    }

    static List<FieldError> csiStorageCapacity(ObjectNode capacity, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(capacity.path("metadata"), true, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(capacity.path("metadata"), old.path("metadata")));
        String className = Json.text(capacity, "storageClassName");
        for (String msg : Formats.isDNS1123Subdomain(className)) {
            errs.add(FieldError.invalid(FieldPath.of("storageClassName"), className, msg));
        }
        if (Json.present(capacity.get("nodeTopology"))) {
            errs.addAll(LabelSelectorValidation.validate(capacity.get("nodeTopology"), FieldPath.of("nodeTopology")));
        }
        return errs;
    }

    static List<FieldError> volumeAttachment(ObjectNode va, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(va.path("metadata"), false, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(va.path("metadata"), old.path("metadata")));
        JsonNode spec = va.path("spec");
        FieldPath specPath = FieldPath.of("spec");
        if (Json.text(spec, "attacher").isEmpty()) errs.add(FieldError.required(specPath.child("attacher"), ""));
        JsonNode source = spec.path("source");
        boolean inline = Json.present(source.get("inlineVolumeSpec"));
        boolean named = Json.present(source.get("persistentVolumeName"));
        String exactlyOne = "must specify exactly one of inlineVolumeSpec and persistentVolumeName";
        if (!inline && !named) {
            errs.add(FieldError.required(specPath.child("source"), exactlyOne));
        } else if (inline && named) {
            errs.add(FieldError.forbidden(specPath.child("source"), exactlyOne));
        } else if (named && Json.text(source, "persistentVolumeName").isEmpty()) {
            errs.add(FieldError.required(specPath.child("source", "persistentVolumeName"), "must specify non empty persistentVolumeName"));
        }
        String node = Json.text(spec, "nodeName");
        for (String msg : Formats.nameIsDNSSubdomain(node, false)) {
            errs.add(FieldError.invalid(specPath.child("nodeName"), node, msg));
        }
        if (old != null && !spec.equals(old.path("spec"))) {
            errs.add(FieldError.invalid(specPath, new GoLiteral(attachmentSpecLiteral(spec)), ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return errs;
    }

    /** The internal spec as Go's {@code %#v} prints it (its pointers are heap addresses, different every time). */
    private static String attachmentSpecLiteral(JsonNode spec) {
        JsonNode source = spec.path("source");
        return "storage.VolumeAttachmentSpec{Attacher:" + GoFormat.quote(Json.text(spec, "attacher"))
                + ", Source:storage.VolumeAttachmentSource{PersistentVolumeName:" + PolicyValidation.pointer("string", source.get("persistentVolumeName"))
                + ", InlineVolumeSpec:" + PolicyValidation.pointer("core.PersistentVolumeSpec", source.get("inlineVolumeSpec"))
                + "}, NodeName:" + GoFormat.quote(Json.text(spec, "nodeName")) + "}";
    }

    private static String goStrings(String type, JsonNode values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(GoFormat.quote(v.asText())));
        return "[]" + type + "{" + String.join(", ", quoted) + "}";
    }
}
