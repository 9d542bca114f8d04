package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.bool;
import static kubefake.server.printers.Columns.integer;
import static kubefake.server.printers.Columns.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Printers of the control plane's own objects: leases, priority and runtime classes, API priority
 * and fairness, aggregated API services.
 */
final class ControlPlanePrinters {

    private static final List<Column> LEASES = List.of(
            NAME,
            string("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated "
                    + "Leader Election is used, the holder identity must be equal to the elected "
                    + "LeaseCandidate.metadata.name field."),
            AGE);

    private static final List<Column> PRIORITY_CLASSES = List.of(
            NAME,
            integer("Value", "value represents the integer value of this priority class. This is the actual priority "
                    + "that pods receive when they have the name of this class in their pod spec."),
            bool("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default "
                    + "priority for pods that do not have any priority class. Only one PriorityClass can be "
                    + "marked as `globalDefault`. However, if more than one PriorityClasses exists with their "
                    + "`globalDefault` field set to true, the smallest value of such global default "
                    + "PriorityClasses will be used as the default priority."),
            AGE,
            string("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, "
                    + "PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."));

    private static final List<Column> RUNTIME_CLASSES = List.of(
            NAME,
            string("Handler", ""),
            AGE);

    private static final List<Column> FLOW_SCHEMAS = List.of(
            NAME,
            string("PriorityLevel", "`name` is the name of the priority level configuration being referenced Required."),
            string("MatchingPrecedence", "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. "
                    + "The chosen FlowSchema is among those with the numerically lowest (which we take to be "
                    + "logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in "
                    + "[1,10000]. Note that if the precedence is not specified, it will be set to 1000 as "
                    + "default."),
            string("DistinguisherMethod", "`distinguisherMethod` defines how to compute the flow distinguisher for requests that "
                    + "match this schema. `nil` specifies that the distinguisher is disabled and thus will "
                    + "always be the empty string."),
            AGE,
            string("MissingPL", "references a broken or non-existent PriorityLevelConfiguration"));

    private static final List<Column> PRIORITY_LEVELS = List.of(
            NAME,
            string("Type", "`type` indicates whether this priority level is subject to limitation on request "
                    + "execution.  A value of `\"Exempt\"` means that requests of this priority level are not "
                    + "subject to a limit (and thus are never queued) and do not detract from the capacity made "
                    + "available to other priority levels.  A value of `\"Limited\"` means that (a) requests of "
                    + "this priority level _are_ subject to limits and (b) some of the server's limited capacity "
                    + "is made available exclusively to this priority level. Required."),
            string("NominalConcurrencyShares", "`nominalConcurrencyShares` (NCS) contributes to the computation of the "
                    + "NominalConcurrencyLimit (NominalCL) of this level. This is the number of execution seats "
                    + "available at this priority level. This is used both for requests dispatched from this "
                    + "priority level as well as requests dispatched from other priority levels borrowing seats "
                    + "from this level. The server's concurrency limit (ServerCL) is divided among the Limited "
                    + "priority levels in proportion to their NCS values:\n\nNominalCL(i)  = ceil( ServerCL * "
                    + "NCS(i) / sum_ncs ) sum_ncs = sum[priority level k] NCS(k)\n\nBigger numbers mean a larger "
                    + "nominal concurrency limit, at the expense of every other priority level.\n\nIf not "
                    + "specified, this field defaults to a value of 30.\n\nSetting this field to zero supports the "
                    + "construction of a \"jail\" for this priority level that is used to hold some request(s)"),
            string("Queues", "`queues` is the number of queues for this priority level. The queues exist independently "
                    + "at each apiserver. The value must be positive.  Setting it to 1 effectively precludes "
                    + "shufflesharding and thus makes the distinguisher method of associated flow schemas "
                    + "irrelevant.  This field has a default value of 64."),
            string("HandSize", "`handSize` is a small positive number that configures the shuffle sharding of requests "
                    + "into queues.  When enqueuing a request at this priority level the request's flow "
                    + "identifier (a string pair) is hashed and the hash value is used to shuffle the list of "
                    + "queues and deal a hand of the size specified here.  The request is put into one of the "
                    + "shortest queues in that hand. `handSize` must be no larger than `queues`, and should be "
                    + "significantly smaller (so that a few heavy flows do not saturate most of the queues).  "
                    + "See the user-facing documentation for more extensive guidance on setting this field.  "
                    + "This field has a default value of 8."),
            string("QueueLengthLimit", "`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given "
                    + "queue of this priority level at a time; excess requests are rejected.  This value must be "
                    + "positive.  If not specified, it will be defaulted to 50."),
            AGE);

    private static final List<Column> API_SERVICES = List.of(
            NAME,
            string("Service", "The reference to the service that hosts this API endpoint."),
            string("Available", "Whether this service is available."),
            AGE);

    private ControlPlanePrinters() {
    }

    static void register(TablePrinters.Registry registry) {
        registry.add("coordination.k8s.io", "leases", new SimplePrinter(LEASES, (lease, now) -> List.of(
                Fields.name(lease), Fields.text(lease, "spec", "holderIdentity"), Formats.age(lease, now))));
        registry.add("scheduling.k8s.io", "priorityclasses", new SimplePrinter(PRIORITY_CLASSES, (pc, now) -> List.of(
                Fields.name(pc), Fields.number(pc, "value"), Fields.bool(pc, "globalDefault"), Formats.age(pc, now),
                Fields.text(pc, "preemptionPolicy"))));
        registry.add("node.k8s.io", "runtimeclasses", new SimplePrinter(RUNTIME_CLASSES, (rc, now) -> List.of(
                Fields.name(rc), Fields.text(rc, "handler"), Formats.age(rc, now))));
        registry.add("flowcontrol.apiserver.k8s.io", "flowschemas", new SimplePrinter(FLOW_SCHEMAS, (fs, now) -> {
            JsonNode spec = Fields.at(fs, "spec");
            String dangling = "?";
            for (JsonNode condition : Fields.list(fs, "status", "conditions")) {
                if (Fields.text(condition, "type").equals("Dangling")) {
                    dangling = Fields.text(condition, "status");
                    break;
                }
            }
            return List.of(Fields.name(fs), Fields.text(spec, "priorityLevelConfiguration", "name"),
                    Fields.number(spec, "matchingPrecedence"),
                    Fields.has(spec, "distinguisherMethod") ? Fields.text(spec, "distinguisherMethod", "type")
                            : Formats.NONE,
                    Formats.age(fs, now), dangling);
        }).sortedBy(Comparator.<ObjectNode>comparingLong(fs -> Fields.number(fs, "spec", "matchingPrecedence"))
                .thenComparing(Fields::name)));
        registry.add("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations",
                new SimplePrinter(PRIORITY_LEVELS, (pl, now) -> {
                    JsonNode limited = Fields.at(pl, "spec", "limited");
                    List<Object> cells = new ArrayList<>(List.of(Fields.name(pl), Fields.text(pl, "spec", "type")));
                    // Numbers where configured, "<none>" for an exempt level or one that rejects instead of queuing.
                    Object shares = Formats.NONE;
                    Object queues = Formats.NONE;
                    Object handSize = Formats.NONE;
                    Object queueLengthLimit = Formats.NONE;
                    if (Fields.has(limited)) {
                        shares = Fields.number(limited, "nominalConcurrencyShares");
                        JsonNode queuing = Fields.at(limited, "limitResponse", "queuing");
                        if (Fields.has(queuing)) {
                            queues = Fields.number(queuing, "queues");
                            handSize = Fields.number(queuing, "handSize");
                            queueLengthLimit = Fields.number(queuing, "queueLengthLimit");
                        }
                    }
                    cells.addAll(List.of(shares, queues, handSize, queueLengthLimit, Formats.age(pl, now)));
                    return cells;
                }));
        registry.add("apiregistration.k8s.io", "apiservices", new SimplePrinter(API_SERVICES, (api, now) -> {
            String service = "Local";
            if (Fields.has(api, "spec", "service")) {
                service = Fields.text(api, "spec", "service", "namespace") + "/"
                        + Fields.text(api, "spec", "service", "name");
            }
            String available = "Unknown";
            for (JsonNode condition : Fields.list(api, "status", "conditions")) {
                if (Fields.text(condition, "type").equals("Available")) {
                    String status = Fields.text(condition, "status");
                    String reason = Fields.text(condition, "reason");
                    available = status.equals("True") || reason.isEmpty() ? status : status + " (" + reason + ")";
                    break;
                }
            }
            return List.of(Fields.name(api), service, available, Formats.age(api, now));
        }));
    }
}
