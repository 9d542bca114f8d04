package kubefake.controllers.volume.provisioning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.volume.persistentvolume.ExternalProvisioners;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The volumes nfs-subdir-external-provisioner makes, and which provisioner takes a class's claims. */
class NfsSubdirVolumesTest {
    private final NfsSubdirVolumes volumes = new NfsSubdirVolumes("192.168.1.10", "/nfs_shared/dynamic-vol/");

    private static ObjectNode claim() {
        ObjectNode pvc = Json.MAPPER.createObjectNode();
        ObjectNode meta = pvc.putObject("metadata").put("name", "pvc-jenkins").put("namespace", "default");
        meta.putObject("annotations").put("nfs.io/storage-path", "jenkins");
        meta.putObject("labels").put("app", "ci");
        ObjectNode spec = pvc.putObject("spec");
        spec.putArray("accessModes").add("ReadWriteMany");
        spec.putObject("resources").putObject("requests").put("storage", "10Gi");
        return pvc;
    }

    private static ObjectNode storageClass(String pathPattern) {
        ObjectNode sc = Json.MAPPER.createObjectNode().put("reclaimPolicy", "Retain");
        if (pathPattern != null) sc.putObject("parameters").put("pathPattern", pathPattern);
        sc.putArray("mountOptions").add("nfsvers=4.1");
        return sc;
    }

    @Test
    void aVolumeIsADirectoryOfTheExportNamedAfterItsClaimAndVolume() {
        ObjectNode pv = volumes.provision(claim(), storageClass(null), "pvc-1234");
        assertEquals("pvc-1234", pv.path("metadata").path("name").asText());
        assertEquals("{\"server\":\"192.168.1.10\",\"path\":\"/nfs_shared/dynamic-vol/default-pvc-jenkins-pvc-1234\"}",
                pv.path("spec").path("nfs").toString());
        assertEquals("Retain", pv.path("spec").path("persistentVolumeReclaimPolicy").asText());
        assertEquals("10Gi", pv.path("spec").path("capacity").path("storage").asText());
        assertEquals("[\"ReadWriteMany\"]", pv.path("spec").path("accessModes").toString());
        assertEquals("[\"nfsvers=4.1\"]", pv.path("spec").path("mountOptions").toString());
    }

    @Test
    void thePathPatternNamesTheDirectoryFromTheClaim() {
        assertEquals("/nfs_shared/dynamic-vol/default-pvc-jenkins", volumes.provision(claim(),
                storageClass("${.PVC.namespace}-${.PVC.name}"), "pvc-1").path("spec").path("nfs").path("path").asText());
        assertEquals("default/jenkins/ci", NfsSubdirVolumes.expand(
                "${.PVC.namespace}/${.PVC.annotations.nfs.io/storage-path}/${.PVC.labels.app}", claim()));
        // a pattern that comes out empty leaves the default name
        assertEquals("/nfs_shared/dynamic-vol/default-pvc-jenkins-pvc-1", volumes.provision(claim(),
                storageClass("${.PVC.labels.none}"), "pvc-1").path("spec").path("nfs").path("path").asText());
    }

    @Test
    void inTreeCloudProvisionersAreTheirCsiDriversAndOtherInTreeNamesNobody() {
        assertEquals("pd.csi.storage.gke.io", ExternalProvisioners.of("kubernetes.io/gce-pd"));
        assertEquals(NfsSubdirVolumes.PROVISIONER, ExternalProvisioners.of(NfsSubdirVolumes.PROVISIONER));
        assertNull(ExternalProvisioners.of("kubernetes.io/no-provisioner"));
        assertNull(ExternalProvisioners.of(""));
    }
}
