package kubefake.controllers.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod-template-hash is the one a real 1.33 cluster computes for the same template. */
class PodTemplateHashTest {

    /** spec.template of the recording's deployment/echo-hname (kubectl/1.33/yaml-deployment-echo-hname.out). */
    static final String ECHO_HNAME_TEMPLATE = """
            {"metadata":{"creationTimestamp":null,"labels":{"app":"nginx"}},
             "spec":{"containers":[{"image":"sysnet4admin/echo-hname","imagePullPolicy":"Always","name":"echo-hname",
               "resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
               "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
               "terminationGracePeriodSeconds":30}}""";

    private static ObjectNode tree(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void safeEncodingSpellsDigitsAsTheRealHashesDo() {
        // why real hashes such as 6d4db5f9d9 or 84977d7f4c only hold 4-9 and b, c, d, f
        assertEquals("456789bcdf", Fnv32.safeEncodeString("0123456789"));
    }

    @Test
    void theRecordedDeploymentsReplicaSetHash() {
        // the recording's ReplicaSet is echo-hname-6d4db5f9d9 (kubectl/1.33/yaml-replicaset.out)
        assertEquals("6d4db5f9d9", PodTemplateHash.compute(tree(ECHO_HNAME_TEMPLATE), null));
    }

    @Test
    void theTemplateIsPrintedAsGoSpewPrintsTheGoValue() {
        String text = GoSpew.podTemplateSpec(tree(ECHO_HNAME_TEMPLATE));
        assertTrue(text.startsWith("(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) GenerateName:(string) "), text);
        assertTrue(text.contains("CreationTimestamp:(v1.Time){Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}} "
                + "DeletionTimestamp:(*v1.Time)<nil> DeletionGracePeriodSeconds:(*int64)<nil> Labels:(map[string]string)map[app:nginx] "
                + "Annotations:(map[string]string)<nil>"), text);
        assertTrue(text.contains("TerminationGracePeriodSeconds:(*int64)30"), text);
        assertTrue(text.contains("Containers:([]v1.Container)[{Name:(string)echo-hname Image:(string)sysnet4admin/echo-hname "
                + "Command:([]string)<nil>"), text);
    }

    @Test
    void quantitiesArePrintedAsParseQuantityHoldsThem() {
        ObjectNode t = tree(ECHO_HNAME_TEMPLATE);
        ObjectNode resources = (ObjectNode) t.path("spec").path("containers").get(0).path("resources");
        resources.putObject("limits").put("memory", "170Mi");
        resources.putObject("requests").put("cpu", "100m").put("memory", "128Mi");
        String text = GoSpew.podTemplateSpec(t);
        assertTrue(text.contains("Limits:(v1.ResourceList)map[memory:{i:(resource.int64Amount){value:(int64)178257920 scale:(resource.Scale)0} "
                + "d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)170Mi Format:(resource.Format)BinarySI}]"), text);
        assertTrue(text.contains("Requests:(v1.ResourceList)map[cpu:{i:(resource.int64Amount){value:(int64)100 scale:(resource.Scale)-3} "
                + "d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)100m Format:(resource.Format)DecimalSI} "
                + "memory:{i:(resource.int64Amount){value:(int64)134217728 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} "
                + "s:(string) Format:(resource.Format)BinarySI}]"), text);
    }

    @Test
    void theCollisionCountChangesTheHash() {
        String plain = PodTemplateHash.compute(tree(ECHO_HNAME_TEMPLATE), null);
        String zero = PodTemplateHash.compute(tree(ECHO_HNAME_TEMPLATE), 0);
        String one = PodTemplateHash.compute(tree(ECHO_HNAME_TEMPLATE), 1);
        assertNotEquals(plain, zero);
        assertNotEquals(zero, one);
    }
}
