package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.runtime.CelFunctionBinding;

import java.util.List;

/**
 * One of the CEL libraries Kubernetes adds to cel-go's ({@code k8s.io/apiserver/pkg/cel/library}): what the
 * type checker knows of its functions, and their implementations, bound by overload id.
 */
interface CelLibrary {
    List<CelFunctionDecl> declarations();

    List<CelFunctionBinding> bindings();
}
