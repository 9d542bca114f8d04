package kubefake.server.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admission;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Discovery;
import io.kubernetes.client.proto.V1Events;
import io.kubernetes.client.proto.V1Flowcontrol;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Node;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Resource;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import io.kubernetes.client.proto.V1alpha1Apiserverinternal;
import io.kubernetes.client.proto.V1alpha1Imagepolicy;
import io.kubernetes.client.proto.V1alpha1Rbac;
import io.kubernetes.client.proto.V1alpha1Scheduling;
import io.kubernetes.client.proto.V1beta1Admission;
import io.kubernetes.client.proto.V1beta1Admissionregistration;
import io.kubernetes.client.proto.V1beta1Apps;
import io.kubernetes.client.proto.V1beta1Authentication;
import io.kubernetes.client.proto.V1beta1Authorization;
import io.kubernetes.client.proto.V1beta1Batch;
import io.kubernetes.client.proto.V1beta1Certificates;
import io.kubernetes.client.proto.V1beta1Extensions;
import io.kubernetes.client.proto.V1beta1Policy;
import io.kubernetes.client.proto.V1beta1Rbac;
import io.kubernetes.client.proto.V1beta1Storage;
import io.kubernetes.client.proto.V1beta1Storagemigration;
import io.kubernetes.client.proto.V1beta2Apps;
import io.kubernetes.client.proto.V2Apidiscovery;
import io.kubernetes.client.proto.V2Autoscaling;
import io.kubernetes.client.proto.V2beta1Autoscaling;
import io.kubernetes.client.proto.V2beta2Autoscaling;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the protobuf message of a Kubernetes kind from its {@code apiVersion} and {@code kind}, using the
 * descriptors bundled in {@code io.kubernetes:client-java-proto}.
 *
 * <p>A proto file declares the Go package its types live in ({@code k8s.io/api/apps/v1}); the directory name
 * of that package gives the API group through {@link #GROUPS}, the last segment gives the version. A message
 * counts as a kind when it carries {@code metadata} (objects and lists) or is an options kind such as
 * {@code PodLogOptions}, because only those are registered with the API server's scheme; the object templates
 * embedded in other objects carry metadata too but are not kinds.
 *
 * <p>The index is built on first use (the descriptors of ~50 proto files take a moment to load), then cached.
 */
final class KindIndex {

    /** Directory under {@code k8s.io/api/} → API group name, where the two differ by more than ".k8s.io". */
    private static final Map<String, String> GROUPS = Map.ofEntries(
            Map.entry("core", ""),
            Map.entry("apps", "apps"),
            Map.entry("batch", "batch"),
            Map.entry("autoscaling", "autoscaling"),
            Map.entry("policy", "policy"),
            Map.entry("extensions", "extensions"),
            Map.entry("rbac", "rbac.authorization.k8s.io"),
            Map.entry("flowcontrol", "flowcontrol.apiserver.k8s.io"),
            Map.entry("apiserverinternal", "internal.apiserver.k8s.io"));

    /** Messages with {@code metadata} that are only ever embedded in other objects. */
    private static final Set<String> EMBEDDED_TEMPLATES = Set.of(
            "PodTemplateSpec", "JobTemplateSpec", "ResourceClaimTemplateSpec", "PersistentVolumeClaimTemplate");

    private static final String API_PACKAGE_PREFIX = "k8s.io/api/";

    /**
     * The meta/v1 kinds the server writes, by the apiVersion they travel under: Status and the discovery documents
     * are registered in every group version, written with the core "v1"; PartialObjectMetadata(List) belong to
     * meta.k8s.io.
     */
    private static final Map<String, List<String>> META_KINDS = Map.of(
            "v1", List.of("Status", "APIVersions", "APIGroupList", "APIGroup", "APIResourceList"),
            "meta.k8s.io/v1", List.of("PartialObjectMetadata", "PartialObjectMetadataList"),
            "meta.k8s.io/v1beta1", List.of("PartialObjectMetadata"));

    /**
     * The proto files of the built-in API groups. {@code apiextensions} (CRDs) is left out: its JSON schema
     * types need their own custom JSON mapping and no kubectl command sends them as protobuf.
     */
    static List<FileDescriptor> apiFiles() {
        return List.of(
                V1.getDescriptor(), V1Admission.getDescriptor(), V1Admissionregistration.getDescriptor(),
                V1Apps.getDescriptor(), V1Authentication.getDescriptor(), V1Authorization.getDescriptor(),
                V1Autoscaling.getDescriptor(), V1Batch.getDescriptor(), V1Certificates.getDescriptor(),
                V1Coordination.getDescriptor(), V1Discovery.getDescriptor(), V1Events.getDescriptor(),
                V1Flowcontrol.getDescriptor(), V1Networking.getDescriptor(), V1Node.getDescriptor(),
                V1Policy.getDescriptor(), V1Rbac.getDescriptor(), V1Resource.getDescriptor(),
                V1Scheduling.getDescriptor(), V1Storage.getDescriptor(),
                V1alpha1Apiserverinternal.getDescriptor(), V1alpha1Imagepolicy.getDescriptor(),
                V1alpha1Rbac.getDescriptor(), V1alpha1Scheduling.getDescriptor(),
                V1beta1Admission.getDescriptor(), V1beta1Admissionregistration.getDescriptor(),
                V1beta1Apps.getDescriptor(), V1beta1Authentication.getDescriptor(),
                V1beta1Authorization.getDescriptor(), V1beta1Batch.getDescriptor(),
                V1beta1Certificates.getDescriptor(), V1beta1Extensions.getDescriptor(),
                V1beta1Policy.getDescriptor(), V1beta1Rbac.getDescriptor(), V1beta1Storage.getDescriptor(),
                V1beta1Storagemigration.getDescriptor(), V1beta2Apps.getDescriptor(),
                V2Autoscaling.getDescriptor(), V2beta1Autoscaling.getDescriptor(), V2Apidiscovery.getDescriptor(),
                V2beta2Autoscaling.getDescriptor());
    }

    /** The API files plus {@code meta/v1} (ObjectMeta, LabelSelector, ...), i.e. every file with Go structs. */
    static List<FileDescriptor> filesWithGoStructs() {
        var files = new java.util.ArrayList<>(apiFiles());
        files.add(Meta.getDescriptor());
        return files;
    }

    private static volatile Map<String, Descriptor> byApiVersionAndKind;

    private KindIndex() {
    }

    /** The message for {@code apiVersion} ("v1", "apps/v1") and {@code kind}, if that kind is known. */
    static Optional<Descriptor> find(String apiVersion, String kind) {
        return Optional.ofNullable(index().get(key(apiVersion, kind)));
    }

    /** The {@code apiVersion} the types of {@code file} belong to, e.g. "rbac.authorization.k8s.io/v1". */
    static Optional<String> apiVersionOf(FileDescriptor file) {
        String goPackage = file.getOptions().getGoPackage();
        if (!goPackage.startsWith(API_PACKAGE_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = goPackage.substring(API_PACKAGE_PREFIX.length()).split("/");
        if (parts.length != 2) {
            return Optional.empty();
        }
        String group = GROUPS.getOrDefault(parts[0], parts[0] + ".k8s.io");
        return Optional.of(group.isEmpty() ? parts[1] : group + "/" + parts[1]);
    }

    private static Map<String, Descriptor> index() {
        Map<String, Descriptor> index = byApiVersionAndKind;
        if (index == null) {
            synchronized (KindIndex.class) {
                index = byApiVersionAndKind;
                if (index == null) {
                    index = build();
                    byApiVersionAndKind = index;
                }
            }
        }
        return index;
    }

    private static Map<String, Descriptor> build() {
        Map<String, Descriptor> index = new HashMap<>();
        for (FileDescriptor file : apiFiles()) {
            apiVersionOf(file).ifPresent(apiVersion -> {
                for (Descriptor message : file.getMessageTypes()) {
                    if (isKind(message)) {
                        index.put(key(apiVersion, message.getName()), message);
                    }
                }
            });
        }
        META_KINDS.forEach((apiVersion, kinds) -> kinds.forEach(kind ->
                index.put(key(apiVersion, kind), Meta.getDescriptor().findMessageTypeByName(kind))));
        return Map.copyOf(index);
    }

    private static boolean isKind(Descriptor message) {
        if (EMBEDDED_TEMPLATES.contains(message.getName())) {
            return false;
        }
        FieldDescriptor metadata = message.findFieldByName("metadata");
        return (metadata != null && metadata.getType() == FieldDescriptor.Type.MESSAGE)
                || message.getName().endsWith("Options");
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "\u0000" + kind;
    }
}
