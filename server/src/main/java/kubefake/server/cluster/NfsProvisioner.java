package kubefake.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.controllers.volume.provisioning.ExternalProvisioner;
import kubefake.controllers.volume.provisioning.NfsSubdirVolumes;
import kubefake.nodesim.ClusterShape;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;

import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

/**
 * The course's dynamic provisioner, as its {@code .init_infra.sh} installs it: nfs-subdir-external-provisioner
 * (PROVISIONER_NAME {@code k8s-sigs.io/nfs-subdir-external-provisioner}, the NFS export {@code /nfs_shared/dynamic-vol}
 * of the control plane node) and the StorageClass {@code managed-nfs-storage} (pathPattern
 * {@code ${.PVC.namespace}-${.PVC.name}}, onDelete delete; not annotated as the default class, as in the course,
 * so claims without a class still bind to the static NFS volumes of its earlier chapter). The provisioner runs in
 * process with its service account's identity; its Deployment and pod in namespace {@code nfs-provisioner} are not
 * simulated.
 */
public final class NfsProvisioner {
    public static final String STORAGE_CLASS = "managed-nfs-storage";
    static final String NAMESPACE = "nfs-provisioner";
    static final String SERVICE_ACCOUNT = "nfs-client-provisioner";
    static final String EXPORT = "/nfs_shared/dynamic-vol";
    private static final String POD_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final String server;

    private NfsProvisioner(String server) {
        this.server = server;
    }

    /** The provisioner of a cluster of this shape: the NFS server is its (first) control plane node. */
    public static NfsProvisioner of(ClusterShape shape) {
        return new NfsProvisioner(shape.controlPlanes().get(0).internalIp());
    }

    /** Creates the StorageClass when it is missing (a restart leaves the stored one as it is). */
    public void install(Registry registry) {
        ResourceStore classes = registry.resource("storage.k8s.io", "storageclasses");
        if (classes.find("", STORAGE_CLASS) != null) return;
        ObjectNode sc = Json.MAPPER.createObjectNode().put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
        sc.putObject("metadata").put("name", STORAGE_CLASS);
        sc.put("provisioner", NfsSubdirVolumes.PROVISIONER);
        sc.putObject("parameters").put("pathPattern", "${.PVC.namespace}-${.PVC.name}").put("onDelete", "delete");
        try {
            classes.create("", sc, RequestContext.LOOPBACK.withFieldManager("kubectl-client-side-apply"));
        } catch (StatusException e) {
            if (e.code() != 409) throw e;
        }
    }

    /** Creates and starts the provisioner; the informers are started by the caller. */
    public ExternalProvisioner start(Registry registry, SharedInformers informers, ClusterRuntime runtime) {
        UserInfo account = new UserInfo("system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT, "",
                List.of("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, UserInfo.AUTHENTICATED));
        ExternalProvisioner provisioner = new ExternalProvisioner(new Client(registry, account, "nfs-subdir-external-provisioner"),
                informers, runtime, NfsSubdirVolumes.PROVISIONER, podName() + "_" + UUID.randomUUID(),
                new NfsSubdirVolumes(server, EXPORT));
        provisioner.start();
        return provisioner;
    }

    /** The library's identity starts with its host name: the Deployment's pod, {@code nfs-client-provisioner-<hash>-<id>}. */
    private static String podName() {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder(SERVICE_ACCOUNT).append('-');
        for (int i = 0; i < 10; i++) b.append(POD_NAME_CHARS.charAt(random.nextInt(POD_NAME_CHARS.length())));
        b.append('-');
        for (int i = 0; i < 5; i++) b.append(POD_NAME_CHARS.charAt(random.nextInt(POD_NAME_CHARS.length())));
        return b.toString();
    }
}
