/**
 * The error type of kubefake ({@link kubefake.store.registry.errors.StatusException}, a Kubernetes Status) with
 * the real server's messages, and the field errors validation reports as Status causes.
 */
package kubefake.store.registry.errors;
