package kubefake.store.registry.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import kubefake.store.registry.cel.library.KubernetesLibraries;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A CEL environment with Kubernetes' base library (k8s.io/apiserver/pkg/cel/environment): the standard
 * functions and macros, the strings, sets and optional extensions, cross-type numeric comparisons and the
 * Kubernetes libraries ({@link KubernetesLibraries}: lists, regex, quantity, url, ip, cidr, semver), with the variables a caller declares.
 */
public final class CelEnvironment {
    /**
     * A bound on the iterations of one evaluation, behind the cost bound ({@link CelExpression#PER_CALL_LIMIT}),
     * which an iteration's nodes reach first.
     */
    public static final int MAX_ITERATIONS = 1_000_000;
    /** The longest expression accepted (the real MaxRequestSizeBytes bound on a rule is 3 MiB). */
    private static final int MAX_EXPRESSION_SIZE = 100_000;

    static final CelOptions OPTIONS = CelOptions.current()
            .enableOptionalSyntax(true)
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxExpressionCodePointSize(MAX_EXPRESSION_SIZE)
            .build();

    /** One runtime for every environment: values are plain maps and lists, so no type provider is needed. */
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
            .addFunctionBindings(KubernetesLibraries.bindings())
            .build();

    private final CelCompiler compiler;

    private CelEnvironment(CelCompiler compiler) {
        this.compiler = compiler;
    }

    /**
     * Loads and initialises cel-java (parser, checker, runtime: seconds of class loading on a busy machine) on a
     * low-priority daemon thread, so that the first CRD with rules or the first policy is not the one that waits.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                of(Map.of("self", dev.cel.common.types.SimpleType.DYN), null).compile("self.x > 1 && [1].all(i, i > 0)")
                        .evaluate(Map.of("self", Map.of("x", 2L)));
            } catch (CelCompileException | CelEvaluationError | RuntimeException e) {
                // nothing to warm then: the first real use will say what is wrong
            }
        }, "cel-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** An environment declaring {@code variables}, whose struct types (if any) {@code types} resolves. */
    public static CelEnvironment of(Map<String, CelType> variables, CelTypeProvider types) {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
                .addFunctionDeclarations(KubernetesLibraries.declarations());
        if (types != null) b.setTypeProvider(types);
        variables.forEach(b::addVar);
        return new CelEnvironment(b.build());
    }

    /**
     * Compiles an expression; a failure carries cel-go's issue text ({@code ERROR: <input>:1:5: Syntax error:
     * ...} with the source line and caret), which the API server quotes after {@code compilation failed: }.
     */
    public CelExpression compile(String expression) throws CelCompileException {
        CelValidationResult parsed = compiler.parse(expression);
        if (parsed.hasError()) throw new CelCompileException(syntaxErrors(parsed.getErrorString()));
        CelValidationResult checked = compiler.check(astOf(parsed));
        if (checked.hasError()) throw new CelCompileException(checked.getErrorString());
        CelAbstractSyntaxTree ast = astOf(checked);
        Set<String> referenced = new HashSet<>();
        ast.getReferenceMap().values().forEach(r -> {
            if (!r.name().isEmpty()) referenced.add(r.name());
        });
        try {
            return new CelExpression(expression, RUNTIME.createProgram(ast), ast, referenced);
        } catch (dev.cel.common.CelException e) {
            throw new CelCompileException("program instantiation failed: " + e.getMessage());
        }
    }

    private static CelAbstractSyntaxTree astOf(CelValidationResult result) throws CelCompileException {
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            throw new CelCompileException(e.getMessage());
        }
    }

    /** cel-go says "Syntax error: " before each parser issue; cel-java does not. */
    private static String syntaxErrors(String issues) {
        return issues.replaceAll("(?m)^(ERROR: <input>:\\d+:\\d+: )", "$1Syntax error: ");
    }
}
