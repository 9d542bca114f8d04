package kubefake.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.encoding.MediaType;
import kubefake.server.encoding.Serializer;
import kubefake.server.printers.Tables;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A list's JSON Table read through {@link RowInput} (only the fields the printer declares, managedFields passed over
 * as bytes) is byte for byte the Table of the objects' whole trees, for pods in every state the pod printer tells
 * apart and for a resource whose printer reads the whole object.
 */
class RowInputTablesTest {
    private static final Instant NOW = Instant.parse("2026-12-07T23:00:00Z");
    private static final String AT = "2026-12-07T22:00:00Z";

    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(NOW.minusSeconds(3600), ZoneOffset.UTC),
            ResourceCatalogue.builtIn());
    private final ResourceStore pods = registry.resource("", "pods");

    @Test
    void podsInEveryStateGiveTheSamePageAsTheirWholeTrees() {
        namespace("default");
        String one = "{'containers':[{'name':'app','image':'nginx','env':[{'name':'A','value':'x\\\"y'}]}]}";
        String two = "{'containers':[{'name':'app','image':'nginx'},{'name':'log','image':'busybox'}]}";
        String init = "{'initContainers':[{'name':'a','image':'busybox'},{'name':'proxy','image':'envoy','restartPolicy':'Always'}],"
                + "'containers':[{'name':'app','image':'nginx'}]}";
        pod("pending", one, null, "");
        pod("unschedulable", one, "{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'False','reason':'Unschedulable'}]}", "");
        pod("gated", one, "{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]}", "");
        pod("running", "{'nodeName':'w1','containers':[{'name':'app','image':'nginx'}]}", "{'phase':'Running','hostIP':'192.168.1.2',"
                + "'podIP':'10.244.0.5','podIPs':[{'ip':'10.244.0.5'},{'ip':'fd00::5'}],'conditions':[{'type':'Ready','status':'True',"
                + "'lastProbeTime':null,'lastTransitionTime':'" + AT + "'}],'containerStatuses':[{'name':'app','ready':true,"
                + "'restartCount':0,'image':'nginx','imageID':'sha256:1','started':true,'state':{'running':{'startedAt':'" + AT + "'}}}]}", "");
        pod("podip-only", one, "{'phase':'Running','podIP':'10.244.0.6'}", "");
        pod("crashloop", one, "{'phase':'Running','containerStatuses':[{'name':'app','ready':false,'restartCount':7,"
                + "'state':{'waiting':{'reason':'CrashLoopBackOff','message':'back-off 5m'}},"
                + "'lastState':{'terminated':{'exitCode':1,'reason':'Error','finishedAt':'" + AT + "'}}}]}", "");
        pod("exit-code", one, "{'phase':'Failed','containerStatuses':[{'name':'app','state':{'terminated':{'exitCode':2}}}]}", "");
        pod("signal", one, "{'phase':'Failed','containerStatuses':[{'name':'app','state':{'terminated':{'exitCode':2,'signal':9}}}]}", "");
        pod("first-wins", two, "{'phase':'Running','containerStatuses':[{'name':'app','state':{'waiting':{'reason':'ImagePullBackOff'}}},"
                + "{'name':'log','ready':true,'restartCount':2,'state':{'running':{}}}]}", "");
        pod("completed-and-running", two, "{'phase':'Running','conditions':[{'type':'Ready','status':'False'}],'containerStatuses':["
                + "{'name':'app','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},{'name':'log','ready':true,'state':{'running':{}}}]}", "");
        pod("init-running", init, "{'phase':'Pending','initContainerStatuses':[{'name':'a','state':{'terminated':{'exitCode':0,"
                + "'reason':'Completed'}}},{'name':'proxy','state':{'running':{}}}],"
                + "'containerStatuses':[{'name':'app','state':{'waiting':{'reason':'PodInitializing'}}}]}", "");
        pod("init-failing", init, "{'phase':'Pending','initContainerStatuses':[{'name':'a','restartCount':3,"
                + "'state':{'waiting':{'reason':'CrashLoopBackOff'}},'lastState':{'terminated':{'exitCode':1,'finishedAt':'" + AT + "'}}}]}", "");
        pod("sidecar", init, "{'phase':'Running','conditions':[{'type':'Initialized','status':'True'}],'initContainerStatuses':["
                + "{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
                + "{'name':'proxy','started':true,'ready':true,'restartCount':1,'lastState':{'terminated':{'exitCode':137,"
                + "'finishedAt':'" + AT + "'}},'state':{'running':{}}}],"
                + "'containerStatuses':[{'name':'app','ready':true,'restartCount':0,'state':{'running':{}}}]}", "");
        pod("succeeded", one, "{'phase':'Succeeded','containerStatuses':[{'name':'app','state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}", "");
        pod("evicted", one, "{'phase':'Failed','reason':'Evicted','message':'low on memory'}", "");
        pod("gates", "{'containers':[{'name':'app','image':'nginx'}],'readinessGates':[{'conditionType':'a/one'},{'conditionType':'a/two'}]}",
                "{'phase':'Pending','nominatedNodeName':'w2','conditions':[{'type':'a/one','status':'True'},{'type':'a/two','status':'False'}]}", "");
        pod("escapes", one, "{'phase':'Running','reason':'Odd \\\"quoted\\\" \\\\ reason \\u00e9\\u2028'}",
                ",'annotations':{'note':'a \\\"b\\\" & <c> \\u00fc \\u2028'},'labels':{'app':'web'}");
        pod("terminating", one, "{'phase':'Running','containerStatuses':[{'name':'app','ready':true,'state':{'running':{}}}]}",
                ",'finalizers':['example.com/keep']");
        pods.delete("default", "terminating", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        pod("node-lost", one, "{'phase':'Running','reason':'NodeLost'}", ",'finalizers':['example.com/keep']");
        pods.delete("default", "node-lost", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);

        ListResult page = pods.list("", new ListOptions("", "", "", "", 0, null, 0, false, null));
        assertTrue(page.items().stream().allMatch(o -> new String(o.json(), StandardCharsets.UTF_8).contains("\"managedFields\"")));
        assertSamePages(page);
        // the pods are in the states meant (so the comparison covers each of the printer's branches)
        java.util.Set<String> statuses = new java.util.TreeSet<>();
        Json.parseObject(TableRenderer.jsonTable(page.type(), page.items(), TableRenderer.listMeta(page), Tables.IncludeObject.METADATA,
                "meta.k8s.io/v1", NOW, false)).get("rows").forEach(row -> statuses.add(row.get("cells").get(2).asText()));
        assertEquals(new java.util.TreeSet<>(java.util.List.of("Completed", "CrashLoopBackOff", "Evicted", "ExitCode:2",
                "ImagePullBackOff", "Init:1/2", "Init:CrashLoopBackOff", "Odd \"quoted\" \\ reason \u00e9\u2028", "Pending",
                "Running", "NotReady", "SchedulingGated", "Signal:9", "Terminating", "Unknown")), statuses);
    }

    @Test
    void aPrinterThatReadsTheWholeObjectGetsTheSamePage() {
        namespace("default");
        ResourceStore services = registry.resource("", "services");
        for (String name : new String[] {"web", "db"}) {
            services.create("default", Json.parseObject(("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name
                    + "\",\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"selector\":{\"app\":\"" + name + "\"},\"ports\":[{\"port\":80,"
                    + "\"protocol\":\"TCP\"}]}}").getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
        }
        assertSamePages(services.list("", new ListOptions("", "", "", "", 0, null, 0, false, null)));
    }

    private static void assertSamePages(ListResult page) {
        for (boolean pretty : new boolean[] {false, true}) {
            byte[] trees = Serializer.encode(TableRenderer.table(page.type(), page.items(), TableRenderer.listMeta(page),
                    Tables.IncludeObject.METADATA, true, NOW), MediaType.JSON, pretty).body();
            byte[] rows = Serializer.json(TableRenderer.jsonTable(page.type(), page.items(), TableRenderer.listMeta(page),
                    Tables.IncludeObject.METADATA, "meta.k8s.io/v1", NOW, false), pretty);
            assertEquals(new String(trees, StandardCharsets.UTF_8), new String(rows, StandardCharsets.UTF_8));
        }
    }

    private void namespace(String name) {
        registry.resource("", "namespaces").create("", Json.parseObject(("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                + "\"metadata\":{\"name\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
    }

    /** A pod created, then (if status is given) its status written as a kubelet writes it. */
    private void pod(String name, String spec, String status, String moreMetadata) {
        ObjectNode pod = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "'" + moreMetadata + "},'spec':" + spec + "}");
        ObjectNode created = pods.create("default", pod, RequestContext.LOOPBACK).toNode();
        if (status == null) return;
        created.set("status", json(status));
        pods.update("default", name, created, RequestContext.LOOPBACK.withFieldManager("kubelet").withSubresource("status"));
    }

    private static ObjectNode json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }
}
