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
import kubefake.store.registry.validation.SchemaFormats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static kubefake.store.registry.cel.library.Functions.fn;

/**
 * Kubernetes' format library (library/format.go): {@code format.dns1123Label()} and the other named formats, or
 * {@code format.named('dns1123Label')} (optional: none for an unknown name); {@code <format>.validate(s)} is
 * {@code optional.none()} for a valid string, else the list of what is wrong, in the words of the API's own
 * validation ({@code a lowercase RFC 1123 label must consist of ...}).
 */
final class FormatLibrary implements CelLibrary {
    static final CelType TYPE = OpaqueType.create("kubernetes.NamedFormat");

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
        add("uuid", "uuid", s -> SchemaFormats.valid("uuid", s) ? List.of() : List.of("does not match the UUID format"));
        add("byte", "byte", s -> SchemaFormats.valid("byte", s) ? List.of() : List.of("invalid base64"));
        add("date", "date", s -> SchemaFormats.valid("date", s) ? List.of() : List.of("invalid date"));
        add("datetime", "datetime", s -> SchemaFormats.valid("datetime", s) ? List.of() : List.of("invalid datetime"));
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
}
