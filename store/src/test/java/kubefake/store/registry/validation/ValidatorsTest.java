package kubefake.store.registry.validation;

import kubefake.store.registry.Kinds;
import kubefake.store.registry.admission.CreateAdmission;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.errors.Cause;
import kubefake.testkit.Reference;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects as a user posts them, defaulted then validated like the real server does, and the message seen. */
class ValidatorsTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static ObjectNode json(String s) {
        try {
            return (ObjectNode) M.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Defaults and validates a create; returns the Invalid error's message, or "" when valid. */
    private static String create(String group, String kind, ObjectNode obj) {
        Kinds.defaulter(group, kind).apply(obj);
        CreateAdmission.admit(group, kind, obj, new Random(1));
        List<Cause> causes = Kinds.rules(group, kind).validator().validate(obj, null);
        return causes.isEmpty() ? "" : StatusException.invalid(group, kind, obj.path("metadata").path("name").asText(),
                causes).message();
    }

    private static String update(String group, String kind, ObjectNode obj, ObjectNode old) {
        Kinds.defaulter(group, kind).applyOnUpdate(obj);
        List<Cause> causes = Kinds.rules(group, kind).validator().validate(obj, old);
        return causes.isEmpty() ? "" : StatusException.invalid(group, kind, obj.path("metadata").path("name").asText(),
                causes).message();
    }

    private static final String DNS_LABEL_HELP = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    @Test
    void recordedInvalidNameAndInvalidPod() {
        ObjectNode cm = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'Bad_Name','namespace':'ref'}}");
        List<Cause> causes = Kinds.rules("", "ConfigMap").validator().validate(cm, null);
        assertEquals(Reference.http("err-invalid-name"),
                StatusException.invalid("", "ConfigMap", "Bad_Name", causes).toStatusJson());

        ObjectNode pod = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'ref'},"
                + "'spec':{'containers':[{'name':'c'}]}}");
        Kinds.defaulter("", "Pod").apply(pod);
        causes = Kinds.rules("", "Pod").validator().validate(pod, null);
        assertEquals(Reference.http("err-invalid-pod"),
                StatusException.invalid("", "Pod", "p", causes).toStatusJson());
    }

    @Test
    void validObjectsPass() {
        assertEquals("", create("", "Pod", json("{'metadata':{'name':'nginx-pod','namespace':'ref'},"
                + "'spec':{'containers':[{'name':'container-name','image':'nginx','ports':[{'containerPort':80}],"
                + "'resources':{'limits':{'cpu':'500m','memory':'128Mi'}}}]}}")));
        assertEquals("", create("apps", "Deployment", json("{'metadata':{'name':'echo-hname','namespace':'ref'},"
                + "'spec':{'replicas':3,'selector':{'matchLabels':{'app':'nginx'}},'template':{'metadata':"
                + "{'labels':{'app':'nginx'}},'spec':{'containers':[{'name':'echo-hname',"
                + "'image':'sysnet4admin/echo-hname'}]}}}}")));
        assertEquals("", create("", "Service", json("{'metadata':{'name':'web','namespace':'ref'},"
                + "'spec':{'type':'NodePort','selector':{'app':'nginx'},'ports':[{'port':80}]}}")));
        assertEquals("", create("", "Namespace", json("{'metadata':{'name':'ref'}}")));
        assertEquals("", create("", "Secret", json("{'metadata':{'name':'sec','namespace':'ref'},"
                + "'stringData':{'pw':'x'}}")));
        assertEquals("", create("apps", "StatefulSet", json("{'metadata':{'name':'db','namespace':'ref'},"
                + "'spec':{'serviceName':'db','selector':{'matchLabels':{'app':'db'}},'template':{'metadata':"
                + "{'labels':{'app':'db'}},'spec':{'containers':[{'name':'db','image':'mysql:8'}]}}}}")));
        assertEquals("", create("apps", "DaemonSet", json("{'metadata':{'name':'agent','namespace':'ref'},"
                + "'spec':{'selector':{'matchLabels':{'app':'agent'}},'template':{'metadata':"
                + "{'labels':{'app':'agent'}},'spec':{'containers':[{'name':'a','image':'busybox'}]}}}}")));
        assertEquals("", create("", "ServiceAccount", json("{'metadata':{'name':'robot','namespace':'ref'}}")));
    }

    @Test
    void deploymentSelectorRules() {
        String tpl = "'template':{'metadata':{'labels':{'app':'demo','environment':'development'}},"
                + "'spec':{'containers':[{'name':'demo','image':'demo:1'}]}}";
        assertEquals("Deployment.apps \"demo\" is invalid: [spec.selector: Required value, "
                + "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"demo\", "
                + "\"environment\":\"development\"}: `selector` does not match template `labels`]",
                create("apps", "Deployment", json("{'metadata':{'name':'demo','namespace':'ref'},'spec':{" + tpl + "}}")));
        assertEquals("Deployment.apps \"demo\" is invalid: spec.template.metadata.labels: Invalid value: "
                + "map[string]string{\"app\":\"demo\", \"environment\":\"development\"}: `selector` does not match "
                + "template `labels`", create("apps", "Deployment", json("{'metadata':{'name':'demo','namespace':'ref'},"
                + "'spec':{'selector':{'matchLabels':{'app':'other'}}," + tpl + "}}")));
        assertEquals("Deployment.apps \"demo\" is invalid: spec.selector: Invalid value: &LabelSelector{MatchLabels:"
                + "map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for "
                + "deployment", create("apps", "Deployment", json("{'metadata':{'name':'demo','namespace':'ref'},"
                + "'spec':{'selector':{'matchLabels':{}}," + tpl + "}}")));
        assertEquals("Deployment.apps \"demo\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or "
                + "equal to 0, spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: "
                + "\"Always\"]", create("apps", "Deployment", json("{'metadata':{'name':'demo','namespace':'ref'},"
                + "'spec':{'replicas':-1,'selector':{'matchLabels':{'app':'demo'}},'template':{'metadata':{'labels':"
                + "{'app':'demo'}},'spec':{'restartPolicy':'Never','containers':[{'name':'demo','image':'d'}]}}}}")));
    }

    @Test
    void podRules() {
        String msg = create("", "Pod", json("{'metadata':{'name':'p','namespace':'ref'},'spec':{'restartPolicy':"
                + "'Sometimes','containers':[{'name':'Web','image':'nginx','ports':[{'containerPort':70000,"
                + "'protocol':'HTTP'}]},{'name':'Web','image':'nginx'}]}}"));
        assertEquals("Pod \"p\" is invalid: [spec.containers[0].name: Invalid value: \"Web\": " + DNS_LABEL_HELP
                + ", spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, "
                + "inclusive, spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: "
                + "\"SCTP\", \"TCP\", \"UDP\", spec.containers[1].name: Invalid value: \"Web\": " + DNS_LABEL_HELP
                + ", spec.containers[1].name: Duplicate value: \"Web\", spec.restartPolicy: Unsupported value: "
                + "\"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"]", msg);
        assertEquals("Pod \"p\" is invalid: spec.containers: Required value", create("", "Pod",
                json("{'metadata':{'name':'p','namespace':'ref'},'spec':{}}")));
        assertEquals("Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be less "
                + "than or equal to cpu limit of 1", create("", "Pod", json("{'metadata':{'name':'p','namespace':'ref'},"
                + "'spec':{'containers':[{'name':'c','image':'i','resources':{'limits':{'cpu':'1000m'},"
                + "'requests':{'cpu':'2'}}}]}}")));
        assertEquals("Pod \"p\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
                create("", "Pod", json("{'metadata':{'name':'p','namespace':'ref'},'spec':{'containers':[{'name':'c',"
                        + "'image':'i','volumeMounts':[{'name':'data','mountPath':'/data'}]}]}}")));
        StatusException bad = assertThrows(StatusException.class, () -> create("", "Pod", json("{'metadata':"
                + "{'name':'p','namespace':'ref'},'spec':{'containers':[{'name':'c','image':'i','resources':"
                + "{'limits':{'memory':'lots'}}}]}}")));
        assertEquals("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression "
                + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", bad.message());
        assertEquals(400, bad.code());
    }

    @Test
    void metadataRules() {
        assertEquals("Pod \"\" is invalid: metadata.name: Required value: name or generateName is required",
                create("", "Pod", json("{'metadata':{'namespace':'ref'},'spec':{'containers':[{'name':'c','image':'i'}]}}")));
        assertEquals("", create("", "Pod", json("{'metadata':{'name':'web-abcde','generateName':'web-','namespace':"
                + "'ref'},'spec':{'containers':[{'name':'c','image':'i'}]}}")));
        assertEquals("Namespace \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": " + DNS_LABEL_HELP,
                create("", "Namespace", json("{'metadata':{'name':'Bad'}}")));
        assertEquals("Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 label must "
                + "consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end "
                + "with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                + "'[a-z]([-a-z0-9]*[a-z0-9])?')", create("", "Service", json("{'metadata':{'name':'1web',"
                + "'namespace':'ref'},'spec':{'ports':[{'port':80}]}}")));
        String labels = create("", "ConfigMap", json("{'metadata':{'name':'c','namespace':'ref',"
                + "'labels':{'app':'-x'}}}"));
        assertTrue(labels.startsWith("ConfigMap \"c\" is invalid: metadata.labels: Invalid value: \"-x\": a valid "
                + "label must be an empty string"), labels);
    }

    @Test
    void serviceConfigMapSecretRules() {
        assertEquals("Service \"web\" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required "
                + "value, spec.type: Unsupported value: \"Public\": supported values: \"ClusterIP\", \"ExternalName\", "
                + "\"LoadBalancer\", \"NodePort\"]", create("", "Service", json("{'metadata':{'name':'web',"
                + "'namespace':'ref'},'spec':{'type':'Public','ports':[{'port':80},{'port':443}]}}")));
        assertEquals("Service \"web\" is invalid: spec.ports: Required value", create("", "Service",
                json("{'metadata':{'name':'web','namespace':'ref'},'spec':{}}")));
        assertEquals("ConfigMap \"c\" is invalid: data[a b]: Invalid value: \"a b\": a valid config key must consist "
                + "of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
                + "regex used for validation is '[-._a-zA-Z0-9]+')", create("", "ConfigMap", json("{'metadata':"
                + "{'name':'c','namespace':'ref'},'data':{'a b':'x'}}")));
        assertEquals("Secret \"t\" is invalid: [data[tls.key]: Required value, data[tls.crt]: Required value]",
                create("", "Secret", json("{'metadata':{'name':'t','namespace':'ref'},'type':'kubernetes.io/tls'}")));
    }

    @Test
    void updates() {
        ObjectNode old = json("{'metadata':{'name':'c','namespace':'ref','uid':'u1','resourceVersion':'5'},"
                + "'data':{'a':'b'},'immutable':true}");
        ObjectNode renamed = old.deepCopy();
        ((ObjectNode) renamed.get("metadata")).put("name", "d");
        ((ObjectNode) renamed.get("data")).put("a", "c");
        assertEquals("ConfigMap \"d\" is invalid: [metadata.name: Invalid value: \"d\": field is immutable, data: "
                + "Forbidden: field is immutable when `immutable` is set]", update("", "ConfigMap", renamed, old));

        ObjectNode oldDeploy = json("{'metadata':{'name':'web','namespace':'ref'},'spec':{'selector':{'matchLabels':"
                + "{'app':'web'}},'template':{'metadata':{'labels':{'app':'web','v':'2'}},'spec':{'containers':"
                + "[{'name':'w','image':'nginx'}]}}}}");
        Kinds.defaulter("apps", "Deployment").apply(oldDeploy);
        ObjectNode newDeploy = oldDeploy.deepCopy();
        ((ObjectNode) newDeploy.path("spec").path("selector").path("matchLabels")).put("v", "2");
        assertEquals("Deployment.apps \"web\" is invalid: spec.selector: Invalid value: &LabelSelector{MatchLabels:"
                + "map[string]string{app: web,v: 2,},MatchExpressions:[]LabelSelectorRequirement{},}: field is "
                + "immutable", update("apps", "Deployment", newDeploy, oldDeploy));

        ObjectNode oldPod = json("{'metadata':{'name':'p','namespace':'ref'},'spec':{'containers':[{'name':'c',"
                + "'image':'nginx:1'}]}}");
        Kinds.defaulter("", "Pod").apply(oldPod);
        ObjectNode newImage = oldPod.deepCopy();
        ((ObjectNode) newImage.path("spec").path("containers").get(0)).put("image", "nginx:2");
        assertEquals("", update("", "Pod", newImage, oldPod));
        ObjectNode newPolicy = oldPod.deepCopy();
        ((ObjectNode) newPolicy.path("spec")).put("restartPolicy", "Never");
        assertTrue(update("", "Pod", newPolicy, oldPod).startsWith("Pod \"p\" is invalid: spec: Forbidden: pod "
                + "updates may not change fields other than `spec.containers[*].image`,"), "spec change forbidden");
    }
}
