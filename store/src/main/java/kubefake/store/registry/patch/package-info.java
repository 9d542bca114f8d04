/**
 * The PATCH engines of the API server, working on Jackson trees.
 *
 * <ul>
 *   <li>{@link kubefake.store.registry.patch.Patches}: the entry point of a PATCH request (parse the body,
 *       pick the engine by {@link kubefake.store.registry.patch.PatchType}, refuse what the real server refuses);</li>
 *   <li>{@link kubefake.store.registry.patch.JsonPatch}: RFC 6902, as evanphx/json-patch v4 applies it;</li>
 *   <li>{@link kubefake.store.registry.patch.MergePatch}: RFC 7386;</li>
 *   <li>{@link kubefake.store.registry.patch.StrategicMergePatch}: Kubernetes' strategic merge patch, driven by
 *       {@link kubefake.store.registry.patch.PatchSchema} (the bundled OpenAPI v3 documents, loaded lazily) and
 *       its {@link kubefake.store.registry.patch.SchemaType}s.</li>
 * </ul>
 * Every refusal is a {@link kubefake.store.registry.patch.PatchException} carrying the HTTP code, Status reason
 * and message of the real server. Server-side apply lives in {@code kubefake.store.fieldmanager}, reading the
 * list and map semantics of the same {@code SchemaType}s.
 */
package kubefake.store.registry.patch;
