/**
 * Validation of objects on create and update ({@link kubefake.store.registry.validation.Validators}), with the
 * name formats and messages of Kubernetes 1.33.
 */
package kubefake.store.registry.validation;
