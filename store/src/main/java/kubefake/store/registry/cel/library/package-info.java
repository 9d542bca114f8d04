/**
 * The CEL libraries Kubernetes adds to cel-go's standard ones (k8s.io/apiserver/pkg/cel/library), for cel-java: one
 * {@link kubefake.store.registry.cel.library.CelLibrary} per library, gathered by
 * {@link kubefake.store.registry.cel.library.KubernetesLibraries} for every CEL environment.
 */
package kubefake.store.registry.cel.library;
