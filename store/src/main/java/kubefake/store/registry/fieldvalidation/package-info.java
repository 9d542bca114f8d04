/**
 * Server-side field validation ({@code ?fieldValidation=Strict|Warn|Ignore}): finding the unknown and
 * repeated fields of a request body the way the real API server's strict decoders do, and the answers it
 * gives for them.
 *
 * <ul>
 *   <li>{@link kubefake.store.registry.fieldvalidation.FieldValidation}: the entry point (decode a body, check a
 *       patch, build the 400/422 errors and the Warning headers, drop unknown fields);</li>
 *   <li>{@code FieldLayout}: a kind's OpenAPI schema ({@link kubefake.store.registry.patch.PatchSchema}) compiled
 *       once into what the Go decoder sees: structs, maps, lists, self-decoding values, {@code interface{}};</li>
 *   <li>{@code StrictReader}: parses JSON or YAML into a Jackson tree, reporting problems in document order;</li>
 *   <li>{@code UnknownFields}: the same check over a tree already parsed, and the removal of unknown fields;</li>
 *   <li>{@code PatchedText}, {@code GoJson}: text exactly as Go writes it, for the messages (quoting: {@code errors.GoFormat}).</li>
 * </ul>
 */
package kubefake.store.registry.fieldvalidation;
