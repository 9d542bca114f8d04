/**
 * Field ownership and server-side apply, as Kubernetes' structured-merge-diff and managedfields packages define
 * them: sets of field paths ({@link kubefake.store.fieldmanager.FieldSet}) and their FieldsV1 form, the fields of an
 * object under its OpenAPI schema, the comparison of two objects, the merge of an applied configuration, and the
 * {@code metadata.managedFields} bookkeeping of every write ({@link kubefake.store.fieldmanager.FieldManager}).
 * Everything is driven by the schema's list and map semantics, never by kind.
 */
package kubefake.store.fieldmanager;
