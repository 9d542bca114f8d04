package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import kubefake.store.registry.validation.Formats;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import static kubefake.store.registry.cel.library.Functions.fn;

/**
 * Kubernetes' format library (library/format.go): {@code format.dns1123Label()} and the other named formats, or
 * {@code format.named('dns1123Label')} (optional: none for an unknown name); {@code <format>.validate(s)} is
 * {@code optional.none()} for a valid string, else the list of what is wrong, in the words of the API's own
 * validation ({@code a lowercase RFC 1123 label must consist of ...}).
 */
final class FormatLibrary implements CelLibrary {
    static final CelType TYPE = OpaqueType.create("kubernetes.NamedFormat");
    private static final Pattern UUID = Pattern.compile(
            "(?i)(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)|(^[0-9a-f]{32}$)");

    /** A named format: what it reports of a string (nothing when the string is valid). */
    record Value(String name, Function<String, List<String>> validate) {
    }

    private static final Map<String, Value> FORMATS = new LinkedHashMap<>();

    static {
        add("dns1123Label", "DNS1123Label", s -> Formats.nameIsDNSLabel(s, false));
        add("dns1123Subdomain", "DNS1123Subdomain", s -> Formats.nameIsDNSSubdomain(s, false));
        add("dns1035Label", "DNS1035Label", s -> Formats.nameIsDNS1035Label(s, false));
        add("qualifiedName", "QualifiedName", Formats::isQualifiedName);
        add("dns1123LabelPrefix", "DNS1123LabelPrefix", s -> Formats.nameIsDNSLabel(s, true));
        add("dns1123SubdomainPrefix", "DNS1123SubdomainPrefix", s -> Formats.nameIsDNSSubdomain(s, true));
        add("dns1035LabelPrefix", "DNS1035LabelPrefix", s -> Formats.nameIsDNS1035Label(s, true));
        add("labelValue", "LabelValue", Formats::isValidLabelValue);
        add("uri", "URI", s -> {
            try {
                UrlLibrary.parse(s, true);
                return List.of();
            } catch (Functions.Invalid e) {
                return List.of(e.getMessage());
            }
        });
        add("uuid", "uuid", s -> UUID.matcher(s).find() ? List.of() : List.of("does not match the UUID format"));
        add("byte", "byte", s -> base64(s) ? List.of() : List.of("invalid base64"));
        add("date", "date", s -> date(s) ? List.of() : List.of("invalid date"));
        add("datetime", "datetime", s -> dateTime(s) ? List.of() : List.of("invalid datetime"));
    }

    private static void add(String key, String name, Function<String, List<String>> validate) {
        FORMATS.put(key, new Value(name, validate));
    }

    @Override
    public List<CelFunctionDecl> declarations() {
        List<CelFunctionDecl> decls = new ArrayList<>();
        decls.add(fn("validate", CelOverloadDecl.newMemberOverload("format-validate",
                OptionalType.create(ListType.create(SimpleType.STRING)), TYPE, SimpleType.STRING)));
        decls.add(fn("format.named", CelOverloadDecl.newGlobalOverload("format-named", OptionalType.create(TYPE), SimpleType.STRING)));
        for (String key : FORMATS.keySet()) {
            decls.add(fn("format." + key, CelOverloadDecl.newGlobalOverload("format." + key, TYPE)));
        }
        return decls;
    }

    @Override
    public List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> bindings = new ArrayList<>();
        bindings.add(CelFunctionBinding.from("format-validate", Value.class, String.class, (f, s) -> {
            List<String> problems = f.validate().apply(s);
            return problems.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(problems));
        }));
        bindings.add(CelFunctionBinding.from("format-named", String.class, name -> Optional.ofNullable(FORMATS.get(name))));
        FORMATS.forEach((key, value) -> bindings.add(CelFunctionBinding.from("format." + key, List.of(), args -> value)));
        return bindings;
    }

    /** strfmt's "byte": standard base64. */
    private static boolean base64(String s) {
        try {
            Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** strfmt's "date": an RFC 3339 full-date. */
    private static boolean date(String s) {
        try {
            LocalDate.parse(s);
            return s.length() == 10;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** strfmt's "datetime": an RFC 3339 date-time (a space or lower-case t/z accepted, as strfmt does). */
    private static boolean dateTime(String s) {
        String t = s.length() > 10 && (s.charAt(10) == ' ' || s.charAt(10) == 't') ? s.substring(0, 10) + "T" + s.substring(11) : s;
        if (t.endsWith("z")) t = t.substring(0, t.length() - 1) + "Z";
        try {
            OffsetDateTime.parse(t);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
