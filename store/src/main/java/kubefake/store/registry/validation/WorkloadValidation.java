package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;
import kubefake.store.registry.selection.LabelSelector;

import java.util.ArrayList;
import java.util.List;
import kubefake.store.registry.errors.GoFormat;
import java.util.Objects;

/**
 * The apps/v1 workload rules (apps validation): Deployment, ReplicaSet, DaemonSet and StatefulSet specs —
 * selector required and non-empty, selector matching the template labels, counts not negative, the pod template
 * validated as a pod with {@code restartPolicy: Always}, strategies — and their immutable selectors on update.
 */
final class WorkloadValidation {

    private WorkloadValidation() {
    }

    private static final FieldPath SPEC = FieldPath.of("spec");

    static List<FieldError> deployment(ObjectNode obj, ObjectNode old) {
        JsonNode spec = obj.path("spec");
        List<FieldError> errs = new ArrayList<>(meta(obj, old, NameRule.DNS_SUBDOMAIN));
        PodSpecValidation pods = new PodSpecValidation("Deployment", "apps/v1");
        nonNegative(spec, "replicas", errs);
        if (selectorChecks(spec, "deployment", errs)) {
            errs.addAll(templateForReplicaSet(spec, pods, "ReplicaSet"));
        }
        errs.addAll(deploymentStrategy(spec.path("strategy"), SPEC.child("strategy")));
        nonNegative(spec, "minReadySeconds", errs);
        nonNegative(spec, "revisionHistoryLimit", errs);
        JsonNode pds = spec.get("progressDeadlineSeconds");
        if (Json.present(pds)) {
            nonNegative(spec, "progressDeadlineSeconds", errs);
            if (pds.asLong() <= spec.path("minReadySeconds").asLong(0)) {
                errs.add(FieldError.invalid(SPEC.child("progressDeadlineSeconds"), pds.asLong(),
                        "must be greater than minReadySeconds"));
            }
        }
        errs.addAll(immutableSelector(obj, old));
        return errs;
    }

    static List<FieldError> replicaSet(ObjectNode obj, ObjectNode old) {
        JsonNode spec = obj.path("spec");
        List<FieldError> errs = new ArrayList<>(meta(obj, old, NameRule.DNS_SUBDOMAIN));
        nonNegative(spec, "replicas", errs);
        nonNegative(spec, "minReadySeconds", errs);
        // The real server says "deployment" here too.
        if (selectorChecks(spec, "deployment", errs)) {
            errs.addAll(templateForReplicaSet(spec, new PodSpecValidation("ReplicaSet", "apps/v1"), "ReplicaSet"));
        }
        errs.addAll(immutableSelector(obj, old));
        return errs;
    }

    static List<FieldError> daemonSet(ObjectNode obj, ObjectNode old) {
        JsonNode spec = obj.path("spec");
        List<FieldError> errs = new ArrayList<>(meta(obj, old, NameRule.DNS_SUBDOMAIN));
        JsonNode selector = spec.get("selector");
        errs.addAll(LabelSelectorValidation.validate(selector, SPEC.child("selector")));
        JsonNode templateLabels = spec.path("template").path("metadata").get("labels");
        if (!selectorMatches(selector, templateLabels)) {
            errs.add(FieldError.invalid(SPEC.child("template", "metadata", "labels"),
                    new GoLiteral(GoFormat.stringMap(Json.stringMap(templateLabels))),
                    "`selector` does not match template `labels`"));
        }
        if (Json.present(selector) && selector.path("matchLabels").size()
                + selector.path("matchExpressions").size() == 0) {
            errs.add(FieldError.invalid(SPEC.child("selector"), LabelSelectorValidation.render(selector),
                    "empty selector is invalid for daemonset"));
        }
        PodSpecValidation pods = new PodSpecValidation("DaemonSet", "apps/v1");
        errs.addAll(pods.validateTemplate(spec.path("template"), SPEC.child("template")));
        restartAlways(spec, errs);
        if (Json.present(spec.path("template").path("spec").get("activeDeadlineSeconds"))) {
            errs.add(FieldError.forbidden(SPEC.child("template", "spec", "activeDeadlineSeconds"),
                    "activeDeadlineSeconds in DaemonSet is not Supported"));
        }
        nonNegative(spec, "minReadySeconds", errs);
        JsonNode strategy = spec.path("updateStrategy");
        String type = Json.text(strategy, "type");
        if (type.equals("RollingUpdate")) {
            if (!Json.present(strategy.get("rollingUpdate"))) {
                errs.add(FieldError.required(SPEC.child("updateStrategy", "rollingUpdate"), ""));
            } else {
                errs.addAll(intOrPercent(strategy.path("rollingUpdate").get("maxUnavailable"),
                        SPEC.child("updateStrategy", "rollingUpdate", "maxUnavailable")));
                errs.addAll(intOrPercent(strategy.path("rollingUpdate").get("maxSurge"),
                        SPEC.child("updateStrategy", "rollingUpdate", "maxSurge")));
            }
        } else if (!type.equals("OnDelete")) {
            errs.add(FieldError.notSupported(SPEC.child("updateStrategy"), new GoLiteral(strategy.toString()),
                    List.of("RollingUpdate", "OnDelete")));
        }
        nonNegative(spec, "revisionHistoryLimit", errs);
        errs.addAll(immutableSelector(obj, old));
        return errs;
    }

    static List<FieldError> statefulSet(ObjectNode obj, ObjectNode old) {
        JsonNode spec = obj.path("spec");
        List<FieldError> errs = new ArrayList<>(meta(obj, old, NameRule.DNS_LABEL));
        String pmp = Json.text(spec, "podManagementPolicy");
        if (pmp.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("podManagementPolicy"), ""));
        } else if (!pmp.equals("OrderedReady") && !pmp.equals("Parallel")) {
            errs.add(FieldError.invalid(SPEC.child("podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'"));
        }
        String type = Json.text(spec.path("updateStrategy"), "type");
        if (type.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("updateStrategy"), ""));
        } else if (!type.equals("RollingUpdate") && !type.equals("OnDelete")) {
            errs.add(FieldError.invalid(SPEC.child("updateStrategy"),
                    new GoLiteral(spec.path("updateStrategy").toString()), "must be 'RollingUpdate' or 'OnDelete'"));
        }
        nonNegative(spec, "replicas", errs);
        nonNegative(spec, "minReadySeconds", errs);
        if (selectorChecks(spec, "statefulset", errs)) {
            JsonNode labels = spec.path("template").path("metadata").get("labels");
            if (!selectorMatches(spec.get("selector"), labels)) {
                errs.add(FieldError.invalid(SPEC.child("template", "metadata", "labels"),
                        new GoLiteral(GoFormat.stringMap(Json.stringMap(labels))),
                        "`selector` does not match template `labels`"));
            }
            errs.addAll(ObjectMetaValidation.validateLabels(Json.stringMap(labels), SPEC.child("template", "labels")));
        }
        restartAlways(spec, errs);
        if (Json.present(spec.path("template").path("spec").get("activeDeadlineSeconds"))) {
            errs.add(FieldError.forbidden(SPEC.child("template", "spec", "activeDeadlineSeconds"),
                    "activeDeadlineSeconds in StatefulSet is not Supported"));
        }
        if (old != null) {
            // Only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and
            // minReadySeconds may change.
            ObjectNode a = ((ObjectNode) spec).deepCopy();
            ObjectNode b = ((ObjectNode) old.path("spec")).deepCopy();
            for (String f : List.of("replicas", "ordinals", "template", "updateStrategy",
                    "persistentVolumeClaimRetentionPolicy", "minReadySeconds")) {
                a.remove(f);
                b.remove(f);
            }
            if (!a.equals(b)) {
                errs.add(FieldError.forbidden(SPEC, "updates to statefulset spec for fields other than 'replicas', "
                        + "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                        + "'minReadySeconds' are forbidden"));
            }
        }
        return errs;
    }

    private static List<FieldError> meta(ObjectNode obj, ObjectNode old, NameRule rule) {
        if (old == null) {
            return ObjectMetaValidation.validate(obj.path("metadata"), true, rule);
        }
        return ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata"));
    }

    /** Selector required, valid and non-empty; true when it converts to a selector. */
    private static boolean selectorChecks(JsonNode spec, String what, List<FieldError> errs) {
        JsonNode selector = spec.get("selector");
        if (!Json.present(selector)) {
            errs.add(FieldError.required(SPEC.child("selector"), ""));
            // A nil selector converts to "nothing", which still lets the template be checked.
            return true;
        }
        List<FieldError> selErrs = LabelSelectorValidation.validate(selector, SPEC.child("selector"));
        errs.addAll(selErrs);
        if (selector.path("matchLabels").size() + selector.path("matchExpressions").size() == 0) {
            errs.add(FieldError.invalid(SPEC.child("selector"), LabelSelectorValidation.render(selector),
                    "empty selector is invalid for " + what));
        }
        if (!selErrs.isEmpty()) {
            errs.add(FieldError.invalid(SPEC.child("selector"), LabelSelectorValidation.render(selector),
                    "invalid label selector"));
            return false;
        }
        return true;
    }

    private static boolean selectorMatches(JsonNode selector, JsonNode labels) {
        try {
            LabelSelector s = LabelSelector.fromJson(selector);
            return s.isEverything() || s.matches(labels);
        } catch (RuntimeException e) {
            return true; // an unconvertible selector is reported elsewhere
        }
    }

    private static List<FieldError> templateForReplicaSet(JsonNode spec, PodSpecValidation pods, String what) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode template = spec.path("template");
        JsonNode labels = template.path("metadata").get("labels");
        LabelSelector selector;
        try {
            selector = LabelSelector.fromJson(spec.get("selector"));
        } catch (RuntimeException e) {
            selector = LabelSelector.everything();
        }
        if (!selector.isEverything() && !selector.matches(labels)) {
            errs.add(FieldError.invalid(SPEC.child("template", "metadata", "labels"),
                    new GoLiteral(GoFormat.stringMap(Json.stringMap(labels))),
                    "`selector` does not match template `labels`"));
        }
        errs.addAll(pods.validateTemplate(template, SPEC.child("template")));
        restartAlways(spec, errs);
        JsonNode ads = template.path("spec").get("activeDeadlineSeconds");
        if (Json.present(ads)) {
            errs.add(FieldError.invalid(SPEC.child("template", "spec", "activeDeadlineSeconds"), ads.asLong(),
                    "activeDeadlineSeconds in " + what + " is not Supported"));
        }
        return errs;
    }

    private static void restartAlways(JsonNode spec, List<FieldError> errs) {
        String rp = Json.text(spec.path("template").path("spec"), "restartPolicy");
        if (!rp.equals("Always")) {
            errs.add(FieldError.notSupported(SPEC.child("template", "spec", "restartPolicy"), rp, List.of("Always")));
        }
    }

    private static void nonNegative(JsonNode spec, String field, List<FieldError> errs) {
        JsonNode v = spec.get(field);
        if (Json.present(v) && v.asLong() < 0) {
            errs.add(FieldError.invalid(SPEC.child(field), v.asLong(), ObjectMetaValidation.IS_NEGATIVE));
        }
    }

    private static List<FieldError> deploymentStrategy(JsonNode strategy, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String type = Json.text(strategy, "type");
        switch (type) {
            case "Recreate" -> {
                if (Json.present(strategy.get("rollingUpdate"))) {
                    errs.add(FieldError.forbidden(path.child("rollingUpdate"),
                            "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            case "RollingUpdate" -> {
                JsonNode ru = strategy.get("rollingUpdate");
                if (!Json.present(ru)) {
                    errs.add(FieldError.required(path.child("rollingUpdate"), "this should be defaulted and never be nil"));
                } else {
                    FieldPath p = path.child("rollingUpdate");
                    errs.addAll(intOrPercent(ru.get("maxUnavailable"), p.child("maxUnavailable")));
                    errs.addAll(intOrPercent(ru.get("maxSurge"), p.child("maxSurge")));
                    if (intOrPercentValue(ru.get("maxUnavailable")) == 0 && intOrPercentValue(ru.get("maxSurge")) == 0) {
                        errs.add(FieldError.invalid(p.child("maxUnavailable"), renderIntOrString(ru.get("maxUnavailable")),
                                "may not be 0 when `maxSurge` is 0"));
                    }
                    errs.addAll(notMoreThan100(ru.get("maxUnavailable"), p.child("maxUnavailable")));
                }
            }
            default -> errs.add(FieldError.notSupported(path, new GoLiteral(strategy.toString()),
                    List.of("Recreate", "RollingUpdate")));
        }
        return errs;
    }

    /**
     * An IntOrString value as 1.33's field errors print it: its String() has a pointer receiver, so the value is not a
     * Stringer and Go's {@code %#v} shows the struct.
     */
    private static GoLiteral renderIntOrString(JsonNode v) {
        if (Json.present(v) && v.isTextual()) {
            return new GoLiteral("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + GoFormat.quote(v.asText()) + "}");
        }
        return new GoLiteral("intstr.IntOrString{Type:0, IntVal:" + (Json.present(v) ? v.asInt() : 0) + ", StrVal:\"\"}");
    }

    /** {@code ValidatePositiveIntOrPercent}: a valid percentage, or a non-negative integer. */
    static List<FieldError> intOrPercent(JsonNode v, FieldPath path) {
        if (!Json.present(v)) {
            return List.of();
        }
        if (v.isTextual()) {
            List<FieldError> errs = new ArrayList<>();
            for (String msg : Formats.isValidPercent(v.asText())) {
                errs.add(FieldError.invalid(path, renderIntOrString(v), msg));
            }
            return errs;
        }
        if (v.asLong() < 0) {
            return List.of(FieldError.invalid(path, v.asLong(), ObjectMetaValidation.IS_NEGATIVE));
        }
        return List.of();
    }

    private static int intOrPercentValue(JsonNode v) {
        if (!Json.present(v)) {
            return 0;
        }
        if (v.isTextual()) {
            String s = v.asText();
            if (s.matches("[0-9]+%")) {
                return Integer.parseInt(s.substring(0, s.length() - 1));
            }
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return v.asInt();
    }

    /** {@code IsNotMoreThan100Percent}. */
    static List<FieldError> notMoreThan100(JsonNode v, FieldPath path) {
        if (Json.present(v) && v.isTextual() && v.asText().matches("[0-9]+%") && intOrPercentValue(v) > 100) {
            return List.of(FieldError.invalid(path, renderIntOrString(v), "must not be greater than 100%"));
        }
        return List.of();
    }

    private static List<FieldError> immutableSelector(ObjectNode obj, ObjectNode old) {
        if (old == null) {
            return List.of();
        }
        JsonNode now = obj.path("spec").get("selector");
        JsonNode before = old.path("spec").get("selector");
        if (!Objects.equals(now, before)) {
            return List.of(FieldError.invalid(SPEC.child("selector"), LabelSelectorValidation.render(now),
                    ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return List.of();
    }
}
