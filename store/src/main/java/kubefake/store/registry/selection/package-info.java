/**
 * Label and field selectors: parsing the query syntax with the real server's error messages, converting
 * {@code metav1.LabelSelector} objects, matching objects, and the field labels each kind supports.
 */
package kubefake.store.registry.selection;
