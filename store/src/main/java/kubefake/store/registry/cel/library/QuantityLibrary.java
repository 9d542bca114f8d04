package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import kubefake.store.registry.validation.Quantity;

import java.math.BigDecimal;
import java.util.List;

import static kubefake.store.registry.cel.library.Functions.error;
import static kubefake.store.registry.cel.library.Functions.fn;

/**
 * Kubernetes' quantity library (library/quantity.go): {@code quantity('1.5Gi')}, {@code isQuantity}, {@code sign},
 * comparisons, {@code add}/{@code sub} (of quantities or ints), {@code isInteger}, {@code asInteger},
 * {@code asApproximateFloat}. Quantities compare and equal by value ({@code quantity('1k') == quantity('1000')}).
 */
final class QuantityLibrary implements CelLibrary {
    static final CelType TYPE = OpaqueType.create("kubernetes.Quantity");

    /** A quantity as a CEL value: equal to another of the same value, whatever their spelling. */
    record Value(Quantity quantity) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && quantity.compareTo(v.quantity) == 0;
        }

        @Override
        public int hashCode() {
            return quantity.value().stripTrailingZeros().hashCode();
        }
    }

    @Override
    public List<CelFunctionDecl> declarations() {
        return List.of(
                fn("quantity", CelOverloadDecl.newGlobalOverload("string_to_quantity", TYPE, SimpleType.STRING)),
                fn("isQuantity", CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
                fn("sign", CelOverloadDecl.newGlobalOverload("quantity_sign", SimpleType.INT, TYPE)),
                fn("isGreaterThan", CelOverloadDecl.newMemberOverload("quantity_is_greater_than", SimpleType.BOOL, TYPE, TYPE)),
                fn("isLessThan", CelOverloadDecl.newMemberOverload("quantity_is_less_than", SimpleType.BOOL, TYPE, TYPE)),
                fn("compareTo", CelOverloadDecl.newMemberOverload("quantity_compare_to", SimpleType.INT, TYPE, TYPE)),
                fn("asApproximateFloat", CelOverloadDecl.newMemberOverload("quantity_get_float", SimpleType.DOUBLE, TYPE)),
                fn("asInteger", CelOverloadDecl.newMemberOverload("quantity_get_int", SimpleType.INT, TYPE)),
                fn("isInteger", CelOverloadDecl.newMemberOverload("quantity_is_integer", SimpleType.BOOL, TYPE)),
                fn("add", CelOverloadDecl.newMemberOverload("quantity_add", TYPE, TYPE, TYPE),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", TYPE, TYPE, SimpleType.INT)),
                fn("sub", CelOverloadDecl.newMemberOverload("quantity_sub", TYPE, TYPE, TYPE),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", TYPE, TYPE, SimpleType.INT)));
    }

    @Override
    public List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_quantity", String.class, QuantityLibrary::parse),
                CelFunctionBinding.from("is_quantity_string", String.class, s -> Functions.parses(QuantityLibrary::quantity, s)),
                CelFunctionBinding.from("quantity_sign", Value.class, q -> (long) q.quantity().signum()),
                CelFunctionBinding.from("quantity_is_greater_than", Value.class, Value.class,
                        (a, b) -> a.quantity().compareTo(b.quantity()) > 0),
                CelFunctionBinding.from("quantity_is_less_than", Value.class, Value.class,
                        (a, b) -> a.quantity().compareTo(b.quantity()) < 0),
                CelFunctionBinding.from("quantity_compare_to", Value.class, Value.class,
                        (a, b) -> (long) Integer.signum(a.quantity().compareTo(b.quantity()))),
                CelFunctionBinding.from("quantity_get_float", Value.class, q -> q.quantity().value().doubleValue()),
                CelFunctionBinding.from("quantity_get_int", Value.class, q -> {
                    Long v = asLong(q.quantity().value());
                    if (v == null) throw error("cannot convert value to integer");
                    return v;
                }),
                CelFunctionBinding.from("quantity_is_integer", Value.class, q -> asLong(q.quantity().value()) != null),
                CelFunctionBinding.from("quantity_add", Value.class, Value.class, (a, b) -> new Value(a.quantity().plus(b.quantity()))),
                CelFunctionBinding.from("quantity_add_int", Value.class, Long.class,
                        (a, b) -> new Value(a.quantity().plus(Quantity.parse(Long.toString(b))))),
                CelFunctionBinding.from("quantity_sub", Value.class, Value.class, (a, b) -> new Value(a.quantity().minus(b.quantity()))),
                CelFunctionBinding.from("quantity_sub_int", Value.class, Long.class,
                        (a, b) -> new Value(a.quantity().minus(Quantity.parse(Long.toString(b))))));
    }

    private static Value parse(String s) throws CelEvaluationException {
        try {
            return quantity(s);
        } catch (Functions.Invalid e) {
            throw error(e.getMessage());
        }
    }

    private static Value quantity(String s) throws Functions.Invalid {
        try {
            return new Value(Quantity.parse(s));
        } catch (IllegalArgumentException e) {
            throw new Functions.Invalid(e.getMessage());
        }
    }

    /** Go's Quantity.AsInt64: the value when it is whole and fits in an int64. */
    private static Long asLong(BigDecimal v) {
        try {
            return v.stripTrailingZeros().scale() > 0 ? null : v.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
