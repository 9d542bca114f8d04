package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kubefake.store.registry.cel.library.Functions.fn;

/**
 * Kubernetes' list and regex libraries (k8s.io/apiserver/pkg/cel/library lists.go, regex.go): the list functions
 * {@code isSorted}, {@code sum}, {@code min}, {@code max}, {@code indexOf}, {@code lastIndexOf}, and the regex
 * functions {@code find} and {@code findAll}.
 */
final class ListsAndRegex implements CelLibrary {
    private static final TypeParamType T = TypeParamType.create("T");
    private static final ListType LIST_T = ListType.create(T);

    @Override
    public List<CelFunctionDecl> declarations() {
        return List.of(
                fn("isSorted", CelOverloadDecl.newMemberOverload("list_is_sorted", SimpleType.BOOL, LIST_T)),
                fn("sum",
                        CelOverloadDecl.newMemberOverload("list_int_sum", SimpleType.INT, ListType.create(SimpleType.INT)),
                        CelOverloadDecl.newMemberOverload("list_double_sum", SimpleType.DOUBLE, ListType.create(SimpleType.DOUBLE))),
                fn("min", CelOverloadDecl.newMemberOverload("list_min", T, LIST_T)),
                fn("max", CelOverloadDecl.newMemberOverload("list_max", T, LIST_T)),
                fn("indexOf", CelOverloadDecl.newMemberOverload("list_index_of", SimpleType.INT, LIST_T, T)),
                fn("lastIndexOf", CelOverloadDecl.newMemberOverload("list_last_index_of", SimpleType.INT, LIST_T, T)),
                fn("find", CelOverloadDecl.newMemberOverload("string_find_string", SimpleType.STRING, SimpleType.STRING, SimpleType.STRING)),
                fn("findAll",
                        CelOverloadDecl.newMemberOverload("string_find_all_string", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("string_find_all_string_int", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING, SimpleType.INT)));
    }

    @Override
    public List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("list_is_sorted", List.class, ListsAndRegex::isSorted),
                CelFunctionBinding.from("list_int_sum", List.class, l -> {
                    long s = 0;
                    for (Object o : l) s = Math.addExact(s, (Long) o);
                    return s;
                }),
                CelFunctionBinding.from("list_double_sum", List.class, l -> {
                    double s = 0;
                    for (Object o : l) s += (Double) o;
                    return s;
                }),
                CelFunctionBinding.from("list_min", List.class, l -> extreme(l, "min", -1)),
                CelFunctionBinding.from("list_max", List.class, l -> extreme(l, "max", 1)),
                CelFunctionBinding.from("list_index_of", List.class, Object.class, (l, v) -> (long) l.indexOf(v)),
                CelFunctionBinding.from("list_last_index_of", List.class, Object.class, (l, v) -> (long) l.lastIndexOf(v)),
                CelFunctionBinding.from("string_find_string", String.class, String.class, (s, re) -> {
                    Matcher m = pattern(re).matcher(s);
                    return m.find() ? m.group() : "";
                }),
                CelFunctionBinding.from("string_find_all_string", String.class, String.class, (s, re) -> findAll(s, re, -1)),
                CelFunctionBinding.from("string_find_all_string_int", List.of(String.class, String.class, Long.class),
                        args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean isSorted(List l) {
        for (int i = 1; i < l.size(); i++) {
            if (((Comparable) l.get(i - 1)).compareTo(l.get(i)) > 0) return false;
        }
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object extreme(List l, String name, int sign) throws CelEvaluationException {
        if (l.isEmpty()) throw Functions.error(name + " called on empty list");
        Object best = l.get(0);
        for (Object o : l) if (((Comparable) o).compareTo(best) * sign > 0) best = o;
        return best;
    }

    private static List<String> findAll(String s, String re, long limit) throws CelEvaluationException {
        List<String> found = new ArrayList<>();
        Matcher m = pattern(re).matcher(s);
        while ((limit < 0 || found.size() < limit) && m.find()) found.add(m.group());
        return found;
    }

    private static Pattern pattern(String re) throws CelEvaluationException {
        try {
            return Pattern.compile(re);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw Functions.error("error parsing regexp: " + e.getDescription());
        }
    }
}
