package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.runtime.CelFunctionBinding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes CEL libraries cel-java lacks, for every environment (CRD rules and admission policies alike):
 * lists, regex, quantity, url, ip, cidr, semver and format. Functions several libraries overload ({@code isLessThan},
 * {@code compareTo}, {@code string}, {@code ip}) are declared once with all their overloads.
 */
public final class KubernetesLibraries {
    private static final List<CelLibrary> LIBRARIES = List.of(new ListsAndRegex(), new QuantityLibrary(), new UrlLibrary(),
            new IpLibrary(), new SemverLibrary(), new FormatLibrary());

    private KubernetesLibraries() {
    }

    public static List<CelFunctionDecl> declarations() {
        Map<String, List<CelOverloadDecl>> byName = new LinkedHashMap<>();
        for (CelLibrary l : LIBRARIES) {
            for (CelFunctionDecl f : l.declarations()) byName.computeIfAbsent(f.name(), k -> new ArrayList<>()).addAll(f.overloads());
        }
        List<CelFunctionDecl> all = new ArrayList<>();
        byName.forEach((name, overloads) -> all.add(CelFunctionDecl.newFunctionDeclaration(name, overloads)));
        return all;
    }

    public static List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> all = new ArrayList<>();
        for (CelLibrary l : LIBRARIES) all.addAll(l.bindings());
        return all;
    }
}
