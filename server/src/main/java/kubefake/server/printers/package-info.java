/**
 * Server-side Table printing: what {@code kubectl get} shows. A request with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io} gets a {@code meta.k8s.io/v1} Table
 * whose columns and cells are the real API server's (Kubernetes'
 * {@code pkg/printers/internalversion/printers.go}, the aggregator's and the CRD handler's table
 * convertors).
 *
 * <ul>
 *   <li>{@link kubefake.server.printers.TablePrinters} finds the printer of a resource (or of a
 *       custom resource, from its CRD's printer columns);</li>
 *   <li>{@link kubefake.server.printers.TablePrinter} gives its columns and the cells of one object;</li>
 *   <li>{@link kubefake.server.printers.Tables} renders printers' rows as the Table JSON;</li>
 *   <li>{@link kubefake.server.printers.HumanDuration} is the AGE format.</li>
 * </ul>
 *
 * <p>Printers are grouped by subject ({@code CorePrinters}, {@code WorkloadPrinters},
 * {@code NetworkingPrinters}, {@code StoragePrinters}, {@code AccessPrinters},
 * {@code ControlPlanePrinters}); the resources with real logic have a class each
 * ({@code PodPrinter}, {@code NodePrinter}, {@code ServicePrinter}, {@code EventPrinter},
 * {@code HorizontalPodAutoscalerPrinter}, {@code CustomResourcePrinter}). Column descriptions are
 * copied from the recording of a real 1.33 server, which the tests compare against.
 */
package kubefake.server.printers;
