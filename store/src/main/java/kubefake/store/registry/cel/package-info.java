/**
 * Kubernetes' CEL environment on cel-java: compiling expressions against declared variables (with the
 * Kubernetes library functions), evaluating them over JSON objects, and reporting errors in cel-go's words,
 * which is what the real API server prints. Used by CRD {@code x-kubernetes-validations} and by
 * ValidatingAdmissionPolicies.
 */
package kubefake.store.registry.cel;
