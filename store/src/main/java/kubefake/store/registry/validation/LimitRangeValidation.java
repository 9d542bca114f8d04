package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;
import kubefake.store.registry.fieldvalidation.FieldValidation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * core/v1 LimitRange validation ({@code ValidateLimitRange}): each item's type is standard ({@code Pod},
 * {@code Container}, {@code PersistentVolumeClaim}) or qualified and appears once; its resources are names that type
 * may limit; for each resource min ≤ defaultRequest ≤ default ≤ max, a maxLimitRequestRatio at least 1 and at most
 * max/min, default and defaultRequest equal where requests may not be overcommitted; a Pod item has no defaults and a
 * PersistentVolumeClaim item bounds storage. A bad quantity is shown as Go's {@code %#v} of the Quantity struct, as
 * the real error does.
 */
final class LimitRangeValidation {
    private static final Set<String> STANDARD_TYPES = Set.of("Pod", "Container", "PersistentVolumeClaim");
    /** {@code resource.MaxMilliValue}: beyond it the ratio check compares whole units. */
    private static final BigDecimal MAX_MILLI_VALUE = BigDecimal.valueOf(Long.MAX_VALUE / 1000);

    private LimitRangeValidation() {
    }

    static List<FieldError> limitRange(ObjectNode range, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(range.path("metadata"), true, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(range.path("metadata"), old.path("metadata")));
        Set<String> types = new HashSet<>();
        FieldPath limitsPath = FieldPath.of("spec", "limits");
        int i = 0;
        for (JsonNode limit : range.path("spec").path("limits")) {
            errs.addAll(item(limit, limitsPath.index(i++), types));
        }
        return errs;
    }

    private static List<FieldError> item(JsonNode limit, FieldPath idx, Set<String> types) {
        List<FieldError> errs = new ArrayList<>();
        String type = Json.text(limit, "type");
        errs.addAll(typeName(type, idx.child("type")));
        if (!types.add(type)) errs.add(FieldError.duplicate(idx.child("type"), type));

        Set<String> keys = new LinkedHashSet<>();
        Map<String, Quantity> max = quantities(limit, "max", type, idx, keys, errs);
        Map<String, Quantity> min = quantities(limit, "min", type, idx, keys, errs);
        Map<String, Quantity> defaults = Map.of();
        Map<String, Quantity> defaultRequests = Map.of();
        if (type.equals("Pod")) {
            if (!limit.path("default").isEmpty()) {
                errs.add(FieldError.forbidden(idx.child("default"), "may not be specified when `type` is 'Pod'"));
            }
            if (!limit.path("defaultRequest").isEmpty()) {
                errs.add(FieldError.forbidden(idx.child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
            }
        } else {
            defaults = quantities(limit, "default", type, idx, keys, errs);
            defaultRequests = quantities(limit, "defaultRequest", type, idx, keys, errs);
        }
        if (type.equals("PersistentVolumeClaim") && !min.containsKey("storage") && !max.containsKey("storage")) {
            errs.add(FieldError.required(idx.child("limits"), "either minimum or maximum storage value is required, but neither was provided"));
        }
        Map<String, Quantity> ratios = quantities(limit, "maxLimitRequestRatio", type, idx, keys, errs);

        for (String k : keys) {
            Quantity mn = min.get(k);
            Quantity mx = max.get(k);
            Quantity def = defaults.get(k);
            Quantity defReq = defaultRequests.get(k);
            Quantity ratio = ratios.get(k);
            if (mn != null && mx != null && mn.compareTo(mx) > 0) {
                errs.add(invalid(idx.child("min").key(k), mn, "min value " + mn + " is greater than max value " + mx));
            }
            if (defReq != null && mn != null && mn.compareTo(defReq) > 0) {
                errs.add(invalid(idx.child("defaultRequest").key(k), defReq,
                        "min value " + mn + " is greater than default request value " + defReq));
            }
            if (defReq != null && mx != null && defReq.compareTo(mx) > 0) {
                errs.add(invalid(idx.child("defaultRequest").key(k), defReq,
                        "default request value " + defReq + " is greater than max value " + mx));
            }
            if (defReq != null && def != null && defReq.compareTo(def) > 0) {
                errs.add(invalid(idx.child("defaultRequest").key(k), defReq,
                        "default request value " + defReq + " is greater than default limit value " + def));
            }
            if (def != null && mn != null && mn.compareTo(def) > 0) {
                errs.add(invalid(idx.child("default").key(k), mn, "min value " + mn + " is greater than default value " + def));
            }
            if (def != null && mx != null && def.compareTo(mx) > 0) {
                errs.add(invalid(idx.child("default").key(k), mx, "default value " + def + " is greater than max value " + mx));
            }
            if (ratio != null && ratio.value().compareTo(BigDecimal.ONE) < 0) {
                errs.add(invalid(idx.child("maxLimitRequestRatio").key(k), ratio, "ratio " + ratio + " is less than 1"));
            }
            if (ratio != null && mn != null && mx != null) {
                double limitRatio = maxOverMin(ratio, mn, mx);
                if (ratioValue(ratio, mn, mx) > limitRatio) {
                    errs.add(invalid(idx.child("maxLimitRequestRatio").key(k), ratio, "ratio " + ratio
                            + " is greater than max/min = " + goFloat(limitRatio)));
                }
            }
            if (!ResourceNames.overcommitAllowed(k) && def != null && defReq != null && def.compareTo(defReq) != 0) {
                errs.add(invalid(idx.child("defaultRequest").key(k), defReq, "default value " + def
                        + " must equal to defaultRequest value " + defReq + " in " + k));
            }
        }
        return errs;
    }

    /** {@code validateLimitRangeTypeName}. */
    private static List<FieldError> typeName(String type, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : Formats.isQualifiedName(type)) errs.add(FieldError.invalid(path, type, msg));
        if (errs.isEmpty() && !type.contains("/") && !STANDARD_TYPES.contains(type)) {
            errs.add(FieldError.invalid(path, type, "must be a standard limit type or fully qualified"));
        }
        return errs;
    }

    /** One of the item's resource maps, its names checked for the item's type and added to {@code keys}. */
    private static Map<String, Quantity> quantities(JsonNode limit, String field, String type, FieldPath idx, Set<String> keys,
                                                    List<FieldError> errs) {
        Map<String, Quantity> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : Json.fields(limit.path(field))) {
            String name = e.getKey();
            FieldPath path = idx.child(field).key(name);
            errs.addAll(type.equals("Pod") || type.equals("Container")
                    ? ResourceNames.validateForContainers(name, path) : ResourceNames.validate(name, path));
            keys.add(name);
            try {
                out.put(name, Quantity.parse(e.getValue().asText()));
            } catch (IllegalArgumentException notAQuantity) {
                // the real server's typed decoding refuses it before validation runs
                throw FieldValidation.decodeFailure("LimitRange", "v1", notAQuantity.getMessage());
            }
        }
        return out;
    }

    /** An Invalid error whose value is the Quantity struct, as Go's {@code %#v} prints it. */
    private static FieldError invalid(FieldPath path, Quantity q, String detail) {
        try {
            return FieldError.invalid(path, new GoLiteral(ParsedQuantity.parse(q.toString()).goSyntax()), detail);
        } catch (ParsedQuantity.UnsupportedException beyondInt64) {
            return FieldError.invalid(path, q.toString(), detail); // Go would print a pointer: no text to match
        }
    }

    /** The real check compares milli-units when all three fit in them, else whole units. */
    private static boolean inMillis(Quantity ratio, Quantity min, Quantity max) {
        return whole(ratio).compareTo(MAX_MILLI_VALUE) < 0 && whole(min).compareTo(MAX_MILLI_VALUE) < 0
                && whole(max).compareTo(MAX_MILLI_VALUE) < 0;
    }

    private static double ratioValue(Quantity ratio, Quantity min, Quantity max) {
        return inMillis(ratio, min, max) ? millis(ratio) / 1000 : whole(ratio).doubleValue();
    }

    private static double maxOverMin(Quantity ratio, Quantity min, Quantity max) {
        return inMillis(ratio, min, max) ? millis(max) / millis(min) : whole(max).doubleValue() / whole(min).doubleValue();
    }

    /** {@code Quantity.MilliValue()}: rounded up to a whole milli-unit. */
    private static double millis(Quantity q) {
        return q.value().movePointRight(3).setScale(0, RoundingMode.UP).doubleValue();
    }

    /** {@code Quantity.Value()}: rounded up to a whole unit. */
    private static BigDecimal whole(Quantity q) {
        return q.value().setScale(0, RoundingMode.UP);
    }

    /** Go's {@code %f}: six decimals, {@code +Inf} for a division by zero. */
    private static String goFloat(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
        if (Double.isNaN(d)) return "NaN";
        return String.format(Locale.ROOT, "%f", d);
    }
}
