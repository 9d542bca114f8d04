/**
 * Typed decoding: what the real API server's decoding of a body into the served kind's Go type finds and does.
 * Server-side field validation ({@code ?fieldValidation=Strict|Warn|Ignore}: unknown and repeated fields), the
 * errors of values of the wrong type, and the shape of objects after Go's decode and encode.
 *
 * <ul>
 *   <li>{@link kubefake.store.registry.fieldvalidation.FieldValidation}: the entry point (decode a body, decode and
 *       check a patch, build the 400/422 errors and the Warning headers, drop unknown fields);</li>
 *   <li>{@link kubefake.store.registry.fieldvalidation.GoRoundTrip}: shapes a stored object as Go's round trip does
 *       ({@code spec: {}}, no empty {@code labels: {}}, canonical quantities);</li>
 *   <li>{@code FieldLayout}: a type's schema ({@link kubefake.store.registry.patch.PatchSchema}, or later a CRD's)
 *       compiled once, with the Go facts OpenAPI loses ({@link kubefake.store.registry.fieldvalidation.GoJsonTags}),
 *       into what the Go decoder sees: structs, maps, lists, scalars, self-decoding values, {@code interface{}};
 *       every walker below reads it;</li>
 *   <li>{@code StrictReader}: parses JSON or YAML into a Jackson tree, reporting strict problems in document order;</li>
 *   <li>{@code UnknownFields}: the same check over a tree already parsed, and the removal of unknown fields;</li>
 *   <li>{@code DecodeErrors}: the first type error as sigs.k8s.io/json or the unstructured converter words it;</li>
 *   <li>{@code GoBase64}, {@code GoQuantity}, {@code GoTime}, {@code GoFloat}: Go's readers and writers of
 *       {@code []byte}, {@code resource.Quantity}, {@code metav1.Time} and float64, with their error texts;</li>
 *   <li>{@code PatchedText}, {@code GoJson}: text exactly as Go writes it, for the messages (quoting:
 *       {@code errors.GoFormat}).</li>
 * </ul>
 */
package kubefake.store.registry.fieldvalidation;
