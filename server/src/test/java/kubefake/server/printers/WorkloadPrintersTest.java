package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadPrintersTest {

    private static final String META = "'metadata': {'name': 'web', 'creationTimestamp': '" + ago("PT90S") + "'}";
    private static final String TEMPLATE = "'template': {'metadata': {'labels': {'app': 'web'}}, 'spec': {'containers': ["
            + "{'name': 'nginx', 'image': 'nginx:1.27'}, {'name': 'log', 'image': 'busybox'}]}}";

    private static List<Object> cells(String group, String resource, String object) {
        return TablePrinters.forResource(group, resource).cells(json(object), NOW);
    }

    @Test
    void deployment() {
        assertEquals(List.of("web", "2/3", 3L, 2L, "90s", "nginx,log", "nginx:1.27,busybox", "app=web"),
                cells("apps", "deployments", "{" + META + ", 'spec': {'replicas': 3, 'selector': {'matchLabels':"
                        + " {'app': 'web'}}, " + TEMPLATE + "}, 'status': {'replicas': 3, 'updatedReplicas': 3,"
                        + " 'readyReplicas': 2, 'availableReplicas': 2}}"));
    }

    @Test
    void newDeploymentWithoutStatusShowsZeroes() {
        assertEquals(List.of("web", "0/1", 0L, 0L),
                cells("apps", "deployments", "{" + META + ", 'spec': {" + TEMPLATE + "}}").subList(0, 4));
    }

    @Test
    void replicaSetAndStatefulSetAndReplicationController() {
        assertEquals(List.of("web", 3L, 3L, 1L, "90s", "nginx,log", "nginx:1.27,busybox", "app=web,pod-template-hash=abc"),
                cells("apps", "replicasets", "{" + META + ", 'spec': {'replicas': 3, 'selector': {'matchLabels':"
                        + " {'pod-template-hash': 'abc', 'app': 'web'}}, " + TEMPLATE + "}, 'status': {'replicas': 3,"
                        + " 'readyReplicas': 1}}"));
        assertEquals(List.of("web", "1/2", "90s", "nginx,log", "nginx:1.27,busybox"),
                cells("apps", "statefulsets", "{" + META + ", 'spec': {'replicas': 2, " + TEMPLATE + "},"
                        + " 'status': {'readyReplicas': 1}}"));
        assertEquals(List.of("web", 2L, 0L, 0L, "90s", "nginx,log", "nginx:1.27,busybox", "app=web"),
                cells("", "replicationcontrollers", "{" + META + ", 'spec': {'replicas': 2, 'selector': {'app': 'web'},"
                        + " " + TEMPLATE + "}}"));
    }

    @Test
    void daemonSet() {
        assertEquals(List.of("web", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "90s", "nginx", "nginx", "app=web"),
                cells("apps", "daemonsets", "{" + META + ", 'spec': {'selector': {'matchLabels': {'app': 'web'}},"
                        + " 'template': {'spec': {'nodeSelector': {'kubernetes.io/os': 'linux'}, 'containers': [{'name':"
                        + " 'nginx', 'image': 'nginx'}]}}}, 'status': {'desiredNumberScheduled': 3,"
                        + " 'currentNumberScheduled': 3, 'numberReady': 2, 'updatedNumberScheduled': 3,"
                        + " 'numberAvailable': 2}}"));
    }

    @Test
    void controllerRevisionNamesItsController() {
        assertEquals(List.of("web-7d4f", "daemonset.apps/web", 2L, "90s"),
                cells("apps", "controllerrevisions", "{'metadata': {'name': 'web-7d4f', 'creationTimestamp': '"
                        + ago("PT90S") + "', 'ownerReferences': [{'apiVersion': 'apps/v1', 'kind': 'DaemonSet',"
                        + " 'name': 'web', 'controller': true}]}, 'revision': 2}"));
        assertEquals("<none>", cells("apps", "controllerrevisions", "{" + META + ", 'revision': 1}").get(1));
    }

    @Test
    void jobs() {
        String spec = "'spec': {'completions': 3, 'parallelism': 1, 'selector': {'matchLabels': {'job': 'pi'}}, "
                + TEMPLATE + "}";
        assertEquals(List.of("web", "Running", "1/3", "80s", "90s", "nginx,log", "nginx:1.27,busybox", "job=pi"),
                cells("batch", "jobs", "{" + META + ", " + spec + ", 'status': {'succeeded': 1, 'startTime': '"
                        + ago("PT80S") + "'}}"));
        List<Object> complete = cells("batch", "jobs", "{" + META + ", " + spec + ", 'status': {'succeeded': 3,"
                + " 'startTime': '" + ago("PT80S") + "', 'completionTime': '" + ago("PT20S") + "', 'conditions': ["
                + "{'type': 'SuccessCriteriaMet', 'status': 'True'}, {'type': 'Complete', 'status': 'True'}]}}");
        assertEquals(List.of("Complete", "3/3", "60s"), complete.subList(1, 4));
        List<Object> failed = cells("batch", "jobs", "{" + META + ", " + spec + ", 'status': {'conditions': ["
                + "{'type': 'Failed', 'status': 'True'}]}}");
        assertEquals(List.of("Failed", "0/3", ""), failed.subList(1, 4));
        List<Object> suspended = cells("batch", "jobs", "{" + META + ", 'spec': {'parallelism': 4},"
                + " 'status': {'conditions': [{'type': 'Suspended', 'status': 'True'}]}}");
        assertEquals(List.of("Suspended", "0/1 of 4"), suspended.subList(1, 3));
    }

    @Test
    void cronJobs() {
        String cronJob = "{" + META + ", 'spec': {'schedule': '*/5 * * * *', 'suspend': false, 'jobTemplate': {'spec': {"
                + TEMPLATE + "}}}, 'status': {'active': [{'name': 'web-1'}], 'lastScheduleTime': '" + ago("PT65S") + "'}}";
        assertEquals(List.of("web", "*/5 * * * *", "<none>", "False", 1L, "65s", "90s", "nginx,log",
                "nginx:1.27,busybox", "<none>"), cells("batch", "cronjobs", cronJob));
        String never = "{" + META + ", 'spec': {'schedule': '@hourly', 'timeZone': 'Etc/UTC'}}";
        assertEquals(List.of("Etc/UTC", "<unset>", 0L, "<none>"), cells("batch", "cronjobs", never).subList(2, 6));
    }

    @Test
    void podDisruptionBudgets() {
        assertEquals(List.of("web", "2", "N/A", 1L, "90s"), cells("policy", "poddisruptionbudgets",
                "{" + META + ", 'spec': {'minAvailable': 2}, 'status': {'disruptionsAllowed': 1}}"));
        assertEquals(List.of("N/A", "25%"), cells("policy", "poddisruptionbudgets",
                "{" + META + ", 'spec': {'maxUnavailable': '25%'}}").subList(1, 3));
    }

    @Test
    void horizontalPodAutoscalers() {
        String hpa = "{" + META + ", 'spec': {'scaleTargetRef': {'kind': 'Deployment', 'name': 'web'}, 'minReplicas': 1,"
                + " 'maxReplicas': 5, 'metrics': [{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type':"
                + " 'Utilization', 'averageUtilization': 50}}}]}, 'status': {'currentReplicas': 2,"
                + " 'currentMetrics': [{'type': 'Resource', 'resource': {'name': 'cpu', 'current': {'averageUtilization':"
                + " 12, 'averageValue': '3m'}}}]}}";
        assertEquals(List.of("web", "Deployment/web", "cpu: 12%/50%", "1", 5L, 2L, "90s"),
                cells("autoscaling", "horizontalpodautoscalers", hpa));
        String unknown = "{" + META + ", 'spec': {'scaleTargetRef': {'kind': 'Deployment', 'name': 'web'},"
                + " 'maxReplicas': 5, 'metrics': ["
                + "{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'averageUtilization': 80}}},"
                + "{'type': 'Resource', 'resource': {'name': 'memory', 'target': {'averageValue': '100Mi'}}},"
                + "{'type': 'Pods', 'pods': {'target': {'averageValue': '1k'}}}]}}";
        assertEquals(List.of("cpu: <unknown>/80%, memory: <unknown>/100Mi + 1 more...", "<unset>"),
                cells("autoscaling", "horizontalpodautoscalers", unknown).subList(2, 4));
    }
}
