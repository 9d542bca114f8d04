package kubefake.controllers.volume.persistentvolume;

import java.util.Map;

/**
 * Which provisioner a StorageClass's {@code provisioner} hands its claims to. The controller manager has no
 * provisioning plugins of its own any more: the cloud ones moved to CSI drivers (CSI migration, whose driver takes the
 * claims) and any name outside {@code kubernetes.io/} is an external provisioner's. Other {@code kubernetes.io/} names
 * ({@code kubernetes.io/no-provisioner} for local volumes) match no plugin.
 */
public final class ExternalProvisioners {
    /** The in-tree plugins migrated to CSI, and their drivers ({@code csi-translation-lib}). */
    private static final Map<String, String> MIGRATED = Map.of(
            "kubernetes.io/aws-ebs", "ebs.csi.aws.com",
            "kubernetes.io/azure-disk", "disk.csi.azure.com",
            "kubernetes.io/azure-file", "file.csi.azure.com",
            "kubernetes.io/cinder", "cinder.csi.openstack.org",
            "kubernetes.io/gce-pd", "pd.csi.storage.gke.io",
            "kubernetes.io/portworx-volume", "pxd.portworx.com",
            "kubernetes.io/vsphere-volume", "csi.vsphere.vmware.com");

    private ExternalProvisioners() {
    }

    /** The external provisioner that serves this provisioner name, or null when no plugin matches it. */
    public static String of(String provisioner) {
        if (provisioner == null || provisioner.isEmpty()) return null;
        String migrated = MIGRATED.get(provisioner);
        if (migrated != null) return migrated;
        return provisioner.startsWith("kubernetes.io/") ? null : provisioner;
    }
}
