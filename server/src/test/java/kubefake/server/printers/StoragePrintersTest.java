package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoragePrintersTest {

    private static final String CREATED = "'creationTimestamp': '" + ago("P1D") + "'";

    private static List<Object> cells(String group, String resource, String object) {
        return TablePrinters.forResource(group, resource).cells(json(object), NOW);
    }

    @Test
    void boundPersistentVolume() {
        String pv = "{'metadata': {'name': 'pv1', " + CREATED + "}, 'spec': {'capacity': {'storage': '10Gi'},"
                + " 'accessModes': ['ReadWriteMany', 'ReadWriteOnce'], 'persistentVolumeReclaimPolicy': 'Retain',"
                + " 'storageClassName': 'nfs', 'volumeMode': 'Filesystem', 'claimRef': {'namespace': 'ref', 'name':"
                + " 'data'}}, 'status': {'phase': 'Bound'}}";
        assertEquals(List.of("pv1", "10Gi", "RWO,RWX", "Retain", "Bound", "ref/data", "nfs", "<unset>", "", "24h",
                "Filesystem"), cells("", "persistentvolumes", pv));
    }

    @Test
    void claimsShowCapacityOnlyOnceBound() {
        String pending = "{'metadata': {'name': 'data', " + CREATED + "}, 'spec': {'accessModes': ['ReadWriteOnce'],"
                + " 'resources': {'requests': {'storage': '1Gi'}}, 'storageClassName': 'standard'},"
                + " 'status': {'phase': 'Pending'}}";
        assertEquals(List.of("data", "Pending", "", "", "", "standard", "<unset>", "24h", "<unset>"),
                cells("", "persistentvolumeclaims", pending));
        String bound = "{'metadata': {'name': 'data', " + CREATED + ", 'annotations': {"
                + "'volume.beta.kubernetes.io/storage-class': 'legacy'}}, 'spec': {'volumeName': 'pv1', 'volumeMode':"
                + " 'Block'}, 'status': {'phase': 'Bound', 'accessModes': ['ReadWriteOncePod'], 'capacity': {'storage':"
                + " '1Gi'}}}";
        assertEquals(List.of("data", "Bound", "pv1", "1Gi", "RWOP", "legacy", "<unset>", "24h", "Block"),
                cells("", "persistentvolumeclaims", bound));
        String deleting = pending.replace(CREATED, CREATED + ", 'deletionTimestamp': '" + ago("PT1S") + "'");
        assertEquals("Terminating", cells("", "persistentvolumeclaims", deleting).get(1));
    }

    @Test
    void storageClasses() {
        String standard = "{'metadata': {'name': 'standard', " + CREATED + ", 'annotations': {"
                + "'storageclass.kubernetes.io/is-default-class': 'true'}}, 'provisioner': 'rancher.io/local-path'}";
        assertEquals(List.of("standard (default)", "rancher.io/local-path", "Delete", "Immediate", false, "24h"),
                cells("storage.k8s.io", "storageclasses", standard));
        String fast = "{'metadata': {'name': 'fast', " + CREATED + "}, 'provisioner': 'csi.example.com',"
                + " 'reclaimPolicy': 'Retain', 'volumeBindingMode': 'WaitForFirstConsumer', 'allowVolumeExpansion': true}";
        assertEquals(List.of("fast", "csi.example.com", "Retain", "WaitForFirstConsumer", true, "24h"),
                cells("storage.k8s.io", "storageclasses", fast));
    }

    @Test
    void csiObjects() {
        assertEquals(List.of("csi.example.com", true, false, false, "<unset>", false, "Persistent,Ephemeral", "24h"),
                cells("storage.k8s.io", "csidrivers", "{'metadata': {'name': 'csi.example.com', " + CREATED + "},"
                        + " 'spec': {'volumeLifecycleModes': ['Persistent', 'Ephemeral']}}"));
        assertEquals(List.of("w1-k8s", 1L, "24h"), cells("storage.k8s.io", "csinodes",
                "{'metadata': {'name': 'w1-k8s', " + CREATED + "}, 'spec': {'drivers': [{'name': 'csi.example.com'}]}}"));
        assertEquals(List.of("va", "csi.example.com", "pv1", "w1-k8s", true, "24h"), cells("storage.k8s.io",
                "volumeattachments", "{'metadata': {'name': 'va', " + CREATED + "}, 'spec': {'attacher':"
                        + " 'csi.example.com', 'nodeName': 'w1-k8s', 'source': {'persistentVolumeName': 'pv1'}},"
                        + " 'status': {'attached': true}}"));
    }
}
