package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.bool;
import static kubefake.server.printers.Columns.integer;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Printers of storage: persistent volumes and claims (core group), storage classes and CSI objects. */
final class StoragePrinters {

    private static final List<Column> PERSISTENT_VOLUMES = List.of(
            NAME,
            string("Capacity", "capacity is the description of the persistent volume's resources and capacity. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
            string("Access Modes", "accessModes contains all ways the volume can be mounted. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
            string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released "
                    + "from its claim. Valid options are Retain (default for manually created "
                    + "PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and "
                    + "Recycle (deprecated). Recycle must be supported by the volume plugin underlying this "
                    + "PersistentVolume. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
            string("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim. More "
                    + "info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
            string("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and "
                    + "PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the "
                    + "authoritative bind between PV and PVC. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
            string("StorageClass", "StorageClass of the pv"),
            string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
            string("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine "
                    + "parsing and tidy display in the CLI."),
            AGE,
            wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to "
                    + "remain in raw block state. Value of Filesystem is implied when not included in spec."));

    private static final List<Column> PERSISTENT_VOLUME_CLAIMS = List.of(
            NAME,
            string("Status", "phase represents the current phase of PersistentVolumeClaim."),
            string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            string("Capacity", "capacity represents the actual resources of the underlying volume."),
            string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
            string("StorageClass", "StorageClass of the pvc"),
            string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
            AGE,
            wide("VolumeMode", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is "
                    + "implied when not included in claim spec."));

    private static final List<Column> STORAGE_CLASSES = List.of(
            NAME,
            string("Provisioner", "provisioner indicates the type of the provisioner."),
            string("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of "
                    + "this storage class. Defaults to Delete."),
            string("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  "
                    + "When unset, VolumeBindingImmediate is used. This field is only honored by servers that "
                    + "enable the VolumeScheduling feature."),
            string("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
            AGE);

    private static final List<Column> CSI_DRIVERS = List.of(
            NAME,
            bool("AttachRequired", "attachRequired indicates this CSI volume driver requires an attach operation (because it "
                    + "implements the CSI ControllerPublishVolume() method), and that the Kubernetes attach "
                    + "detach controller should call the attach volume interface which checks the "
                    + "volumeattachment status and waits until the volume is attached before proceeding to "
                    + "mounting. The CSI external-attacher coordinates with CSI volume driver and updates the "
                    + "volumeattachment status when the attach operation is complete. If the CSIDriverRegistry "
                    + "feature gate is enabled and the value is specified to false, the attach operation will be "
                    + "skipped. Otherwise the attach operation will be called.\n\nThis field is immutable."),
            bool("PodInfoOnMount", "podInfoOnMount indicates this CSI volume driver requires additional pod information (like "
                    + "podName, podUID, etc.) during mount operations, if set to true. If set to false, pod "
                    + "information will not be passed on mount. Default is false.\n\nThe CSI driver specifies "
                    + "podInfoOnMount as part of driver deployment. If true, Kubelet will pass pod information "
                    + "as VolumeContext in the CSI NodePublishVolume() calls. The CSI driver is responsible for "
                    + "parsing and validating the information passed in as VolumeContext.\n\nThe following "
                    + "VolumeContext will be passed if podInfoOnMount is set to true. This list might grow, but "
                    + "the prefix will be used. \"csi.storage.k8s.io/pod.name\": pod.Name "
                    + "\"csi.storage.k8s.io/pod.namespace\": pod.Namespace \"csi.storage.k8s.io/pod.uid\": "
                    + "string(pod.UID) \"csi.storage.k8s.io/ephemeral\": \"true\" if the volume is an ephemeral "
                    + "inline volume\n                                defined by a CSIVolumeSource, otherwise "
                    + "\"false\"\n\n\"csi.storage.k8s.io/ephemeral\" is a new feature in Kubernetes 1.16. It is only "
                    + "required for drivers which support both the \"Persistent\" and \"Ephemeral\" "
                    + "VolumeLifecycleMode. Other drivers can leave pod info disabled and/or ignore this field. "
                    + "As Kubernetes 1.15 doesn't support this field, drivers can only support one mode when "
                    + "deployed on such a cluster and the deployment determines which mode that is, for example "
                    + "via a command line parameter of the driver.\n\nThis field was immutable in Kubernetes < "
                    + "1.29 and now is mutable."),
            bool("StorageCapacity", "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the "
                    + "storage capacity that the driver deployment will report by creating CSIStorageCapacity "
                    + "objects with capacity information, if set to true.\n\nThe check can be enabled immediately "
                    + "when deploying a driver. In that case, provisioning new volumes with late binding will "
                    + "pause until the driver deployment has published some suitable CSIStorageCapacity "
                    + "object.\n\nAlternatively, the driver can be deployed with the field unset or false and it "
                    + "can be flipped later when storage capacity information has been published.\n\nThis field "
                    + "was immutable in Kubernetes <= 1.22 and now is mutable."),
            string("TokenRequests", "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting "
                    + "volume for to do necessary authentication. Kubelet will pass the tokens in VolumeContext "
                    + "in the CSI NodePublishVolume calls. The CSI driver should parse and validate the "
                    + "following VolumeContext: \"csi.storage.k8s.io/serviceAccount.tokens\": {\n  \"<audience>\": {\n "
                    + "   \"token\": <token>,\n    \"expirationTimestamp\": <expiration timestamp in RFC3339>,\n  },\n  "
                    + "...\n}\n\nNote: Audience in each TokenRequest should be different and at most one token is "
                    + "empty string. To receive a new token after expiry, RequiresRepublish can be used to "
                    + "trigger NodePublishVolume periodically."),
            bool("RequiresRepublish", "requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically "
                    + "called to reflect any possible change in the mounted volume. This field defaults to "
                    + "false.\n\nNote: After a successful initial NodePublishVolume call, subsequent calls to "
                    + "NodePublishVolume should only update the contents of the volume. New mount points will "
                    + "not be seen by a running container."),
            string("Modes", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports. The "
                    + "default if the list is empty is \"Persistent\", which is the usage defined by the CSI "
                    + "specification and implemented in Kubernetes via the usual PV/PVC mechanism.\n\nThe other "
                    + "mode is \"Ephemeral\". In this mode, volumes are defined inline inside the pod spec with "
                    + "CSIVolumeSource and their lifecycle is tied to the lifecycle of that pod. A driver has to "
                    + "be aware of this because it is only going to get a NodePublishVolume call for such a "
                    + "volume.\n\nFor more information about implementing this mode, see "
                    + "https://kubernetes-csi.github.io/docs/ephemeral-local-volumes.html A driver can support "
                    + "one or more of these modes and more modes may be added in the future.\n\nThis field is "
                    + "beta. This field is immutable."),
            AGE);

    private static final List<Column> CSI_NODES = List.of(
            NAME,
            integer("Drivers", "Drivers indicates the number of CSI drivers registered on the node"),
            AGE);

    private static final List<Column> VOLUME_ATTACHMENTS = List.of(
            NAME,
            new Column("Attacher", "string", "name", "attacher indicates the name of the volume driver that MUST handle this request. This is "
                    + "the name returned by GetPluginName().", 0),
            string("PV", "persistentVolumeName represents the name of the persistent volume to attach."),
            string("Node", "nodeName represents the node that the volume should be attached to."),
            bool("Attached", "attached indicates the volume is successfully attached. This field must only be set by "
                    + "the entity completing the attach operation, i.e. the external-attacher."),
            AGE);

    /** The beta annotation that still overrides spec.storageClassName. */
    private static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

    private StoragePrinters() {
    }

    static void register(TablePrinters.Registry registry) {
        registry.add("", "persistentvolumes", new SimplePrinter(PERSISTENT_VOLUMES, (pv, now) -> {
            JsonNode spec = Fields.at(pv, "spec");
            String claim = "";
            if (Fields.has(spec, "claimRef")) {
                claim = Fields.text(spec, "claimRef", "namespace") + "/" + Fields.text(spec, "claimRef", "name");
            }
            return List.of(Fields.name(pv), quantity(spec, "capacity", "storage"),
                    accessModes(Fields.list(spec, "accessModes")), Fields.text(spec, "persistentVolumeReclaimPolicy"),
                    phase(pv), claim, storageClass(pv), orUnset(spec, "volumeAttributesClassName"),
                    Fields.text(pv, "status", "reason"), Formats.age(pv, now), orUnset(spec, "volumeMode"));
        }));
        registry.add("", "persistentvolumeclaims", new SimplePrinter(PERSISTENT_VOLUME_CLAIMS, (pvc, now) -> {
            JsonNode spec = Fields.at(pvc, "spec");
            String volume = Fields.text(spec, "volumeName");
            String capacity = "";
            String accessModes = "";
            // Capacity and access modes are the bound volume's, so only shown once bound.
            if (!volume.isEmpty()) {
                capacity = quantity(pvc, "status", "capacity", "storage");
                accessModes = accessModes(Fields.list(pvc, "status", "accessModes"));
            }
            return List.of(Fields.name(pvc), phase(pvc), volume, capacity, accessModes, storageClass(pvc),
                    orUnset(spec, "volumeAttributesClassName"), Formats.age(pvc, now), orUnset(spec, "volumeMode"));
        }));
        registry.add("storage.k8s.io", "storageclasses", new SimplePrinter(STORAGE_CLASSES, (sc, now) -> {
            String name = Fields.name(sc);
            if (isDefaultClass(sc)) {
                name += " (default)";
            }
            return List.of(name, Fields.text(sc, "provisioner"),
                    Fields.has(sc, "reclaimPolicy") ? Fields.text(sc, "reclaimPolicy") : "Delete",
                    Fields.has(sc, "volumeBindingMode") ? Fields.text(sc, "volumeBindingMode") : "Immediate",
                    Fields.bool(sc, "allowVolumeExpansion"), Formats.age(sc, now));
        }));
        registry.add("storage.k8s.io", "csidrivers", new SimplePrinter(CSI_DRIVERS, (driver, now) -> {
            JsonNode spec = Fields.at(driver, "spec");
            String modes = Fields.list(spec, "volumeLifecycleModes").stream().map(JsonNode::asText)
                    .collect(Collectors.joining(","));
            String tokenRequests = Formats.UNSET;
            if (Fields.has(spec, "tokenRequests")) {
                tokenRequests = Fields.list(spec, "tokenRequests").stream().map(t -> Fields.text(t, "audience"))
                        .collect(Collectors.joining(","));
            }
            return List.of(Fields.name(driver),
                    !Fields.has(spec, "attachRequired") || Fields.bool(spec, "attachRequired"),
                    Fields.bool(spec, "podInfoOnMount"), Fields.bool(spec, "storageCapacity"), tokenRequests,
                    Fields.bool(spec, "requiresRepublish"), modes.isEmpty() ? Formats.NONE : modes,
                    Formats.age(driver, now));
        }));
        registry.add("storage.k8s.io", "csinodes", new SimplePrinter(CSI_NODES, (node, now) -> List.of(
                Fields.name(node), (long) Fields.size(node, "spec", "drivers"), Formats.age(node, now))));
        registry.add("storage.k8s.io", "volumeattachments", new SimplePrinter(VOLUME_ATTACHMENTS, (va, now) -> List.of(
                Fields.name(va), Fields.text(va, "spec", "attacher"),
                Fields.text(va, "spec", "source", "persistentVolumeName"), Fields.text(va, "spec", "nodeName"),
                Fields.bool(va, "status", "attached"), Formats.age(va, now))));
    }

    /** {@code RWO,ROX,RWX,RWOP}: the modes present, always in that order. */
    static String accessModes(List<JsonNode> modes) {
        Set<String> present = new TreeSet<>();
        modes.forEach(mode -> present.add(mode.asText()));
        List<String> shown = new ArrayList<>();
        if (present.contains("ReadWriteOnce")) {
            shown.add("RWO");
        }
        if (present.contains("ReadOnlyMany")) {
            shown.add("ROX");
        }
        if (present.contains("ReadWriteMany")) {
            shown.add("RWX");
        }
        if (present.contains("ReadWriteOncePod")) {
            shown.add("RWOP");
        }
        return String.join(",", shown);
    }

    private static String phase(JsonNode object) {
        return Fields.has(object, "metadata", "deletionTimestamp") ? "Terminating" : Fields.text(object, "status", "phase");
    }

    /** The class from the beta annotation if present, else spec.storageClassName. */
    private static String storageClass(JsonNode object) {
        JsonNode annotations = Fields.at(object, "metadata", "annotations");
        if (Fields.has(annotations, BETA_STORAGE_CLASS)) {
            return Fields.text(annotations, BETA_STORAGE_CLASS);
        }
        return Fields.text(object, "spec", "storageClassName");
    }

    private static boolean isDefaultClass(JsonNode storageClass) {
        JsonNode annotations = Fields.at(storageClass, "metadata", "annotations");
        return Fields.text(annotations, "storageclass.kubernetes.io/is-default-class").equals("true")
                || Fields.text(annotations, "storageclass.beta.kubernetes.io/is-default-class").equals("true");
    }

    /** A quantity as stored; a missing one prints as Go's zero quantity, {@code 0}. */
    private static String quantity(JsonNode node, String... path) {
        String text = Fields.text(node, path);
        return text.isEmpty() ? "0" : text;
    }

    private static String orUnset(JsonNode node, String field) {
        return Fields.has(node, field) ? Fields.text(node, field) : Formats.UNSET;
    }
}
