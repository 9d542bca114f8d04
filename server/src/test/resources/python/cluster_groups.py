"""storage.k8s.io, scheduling.k8s.io, node.k8s.io, admissionregistration.k8s.io (ValidatingAdmissionPolicy, through
the dynamic client: this client release has no typed v1 of it), apiextensions.k8s.io with custom objects, and
metrics.k8s.io, through the official Python client; prints what it saw as one JSON object."""
import json
import sys
import threading
import time

from kubernetes import client, config, dynamic, watch

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
core = client.CoreV1Api()
namespaces.create_ready(core, ns)
seen = {}

storage = client.StorageV1Api()
sc_name = ns + "-slow"
sc = storage.create_storage_class(client.V1StorageClass(metadata=client.V1ObjectMeta(name=sc_name),
                                                        provisioner="example.com/slow"))
seen["storageClass"] = {"reclaimPolicy": sc.reclaim_policy, "volumeBindingMode": sc.volume_binding_mode,
                        "listed": sc_name in [c.metadata.name for c in storage.list_storage_class().items],
                        "courseProvisioner": storage.read_storage_class("managed-nfs-storage").provisioner}
seen["storageClassImmutable"] = namespaces.api_error(
    lambda: storage.patch_storage_class(sc_name, {"provisioner": "example.com/fast"}))
storage.delete_storage_class(sc_name)

claim = core.create_namespaced_persistent_volume_claim(ns, client.V1PersistentVolumeClaim(
    metadata=client.V1ObjectMeta(name="data"),
    spec=client.V1PersistentVolumeClaimSpec(storage_class_name="managed-nfs-storage", access_modes=["ReadWriteMany"],
                                            resources=client.V1ResourceRequirements(requests={"storage": "1Gi"}))))
seen["claimCreated"] = [claim.status.phase, claim.spec.volume_mode]
bound = namespaces.until("the claim bound", lambda: (lambda c: c if c.status.phase == "Bound" else None)(
    core.read_namespaced_persistent_volume_claim("data", ns)))
volume = core.read_persistent_volume(bound.spec.volume_name)
seen["claimBound"] = {"volumeIsPvcUid": bound.spec.volume_name == "pvc-" + bound.metadata.uid,
                      "capacity": bound.status.capacity, "accessModes": bound.status.access_modes,
                      "claimRef": [volume.spec.claim_ref.namespace == ns, volume.spec.claim_ref.name],
                      "reclaim": volume.spec.persistent_volume_reclaim_policy, "volumePhase": volume.status.phase}
core.delete_namespaced_persistent_volume_claim("data", ns)

scheduling = client.SchedulingV1Api()
pc_name = ns + "-high"
pc = scheduling.create_priority_class(client.V1PriorityClass(metadata=client.V1ObjectMeta(name=pc_name), value=100000,
                                                             description="for the important pods"))
seen["priorityClass"] = {"preemptionPolicy": pc.preemption_policy, "globalDefault": pc.global_default,
                         "systemClusterCritical": scheduling.read_priority_class("system-cluster-critical").value}
seen["priorityValueImmutable"] = namespaces.api_error(lambda: scheduling.patch_priority_class(pc_name, {"value": 5}))
scheduling.delete_priority_class(pc_name)

node = client.NodeV1Api()
rc_name = ns + "-gvisor"
rc = node.create_runtime_class(client.V1RuntimeClass(metadata=client.V1ObjectMeta(name=rc_name), handler="runsc"))
seen["runtimeClass"] = {"handler": rc.handler, "read": node.read_runtime_class(rc_name).handler,
                        "listed": rc_name in [r.metadata.name for r in node.list_runtime_class().items]}
seen["runtimeHandlerImmutable"] = namespaces.api_error(lambda: node.patch_runtime_class(rc_name, {"handler": "runc"}))
node.delete_runtime_class(rc_name)

resources = dynamic.DynamicClient(client.ApiClient()).resources
policies = resources.get(api_version="admissionregistration.k8s.io/v1", kind="ValidatingAdmissionPolicy")
bindings = resources.get(api_version="admissionregistration.k8s.io/v1", kind="ValidatingAdmissionPolicyBinding")
vap = ns + "-small-configmaps"
created = policies.create(body={
    "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": vap},
    "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                                                     "operations": ["CREATE", "UPDATE"], "resources": ["configmaps"]}]},
             "validations": [{"expression": "!has(object.data) || object.data.size() <= 1",
                              "message": "at most one key"}]}})
seen["policyDefaults"] = [created.spec.failurePolicy, created.spec.matchConstraints.matchPolicy]
bindings.create(body={
    "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
    "metadata": {"name": vap},
    "spec": {"policyName": vap, "validationActions": ["Deny"],
             "matchResources": {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": ns}}}}})


def refused():
    error = namespaces.api_error(lambda: core.create_namespaced_config_map(ns, client.V1ConfigMap(
        metadata=client.V1ObjectMeta(generate_name="big-"), data={"a": "1", "b": "2"})))
    return error


seen["policyRefused"] = namespaces.until("the policy in force", refused, 30)
seen["policyAllows"] = namespaces.api_error(lambda: core.create_namespaced_config_map(ns, client.V1ConfigMap(
    metadata=client.V1ObjectMeta(name="small"), data={"a": "1"})))
bindings.delete(name=vap)
policies.delete(name=vap)

extensions = client.ApiextensionsV1Api()
group = ns + ".example.com"
extensions.create_custom_resource_definition({
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "widgets." + group},
    "spec": {"group": group, "scope": "Namespaced",
             "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
             "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                 "type": "object", "properties": {"spec": {"type": "object", "properties": {
                     "color": {"type": "string", "default": "blue"}}}}}}}]}})
namespaces.until("the CRD established", lambda: any(
    c.type == "Established" and c.status == "True"
    for c in (extensions.read_custom_resource_definition("widgets." + group).status.conditions or [])))
custom = client.CustomObjectsApi()
# discovery of the new group can lag its Established condition by a moment, as on a real server
namespaces.until("the widgets served", lambda: namespaces.api_error(
    lambda: custom.list_namespaced_custom_object(group, "v1", ns, "widgets")) is None)
start = custom.list_namespaced_custom_object(group, "v1", ns, "widgets")["metadata"]["resourceVersion"]


def write_widgets():
    made = custom.create_namespaced_custom_object(group, "v1", ns, "widgets", {
        "apiVersion": group + "/v1", "kind": "Widget", "metadata": {"name": "w1"}, "spec": {}, "unknown": "pruned"})
    seen["widgetCreated"] = [made["spec"], "unknown" in made]
    custom.patch_namespaced_custom_object(group, "v1", ns, "widgets", "w1", {"spec": {"color": "red"}})
    custom.delete_namespaced_custom_object(group, "v1", ns, "widgets", "w1")


events = []
w = watch.Watch()
writer = threading.Thread(target=write_widgets)
writer.start()
for event in w.stream(custom.list_namespaced_custom_object, group, "v1", ns, "widgets", resource_version=start,
                      timeout_seconds=60):
    events.append([event["type"], event["object"]["metadata"]["name"], event["object"]["spec"]["color"]])
    if event["type"] == "DELETED":
        w.stop()
writer.join()
seen["widgetEvents"] = events
extensions.delete_custom_resource_definition("widgets." + group)

node_metrics = custom.list_cluster_custom_object("metrics.k8s.io", "v1beta1", "nodes")
seen["nodeMetrics"] = sorted(n["metadata"]["name"] for n in node_metrics["items"])
seen["nodeMetricsFields"] = sorted(node_metrics["items"][0].keys())
seen["nodeUsage"] = sorted(node_metrics["items"][0]["usage"].keys())
pod_metrics = custom.list_namespaced_custom_object("metrics.k8s.io", "v1beta1", "kube-system", "pods")
seen["apiserverMetrics"] = [p["containers"][0]["name"] for p in pod_metrics["items"]
                            if p["metadata"]["name"].startswith("kube-apiserver-")]
print(json.dumps(seen))
