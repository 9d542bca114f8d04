/**
 * Admission: the plugins a real API server runs on every write after decoding and before storage, in one ordered
 * chain (mutating plugins, then the strategy's validation, then validating plugins), each seeing the request's
 * {@link kubefake.store.registry.request.RequestContext}.
 */
package kubefake.store.registry.admission;
