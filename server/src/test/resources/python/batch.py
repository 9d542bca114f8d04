"""batch/v1 through the official Python client: a Job watched to completion and its pod's log, a CronJob's defaults,
patch, list and delete, and an invalid schedule refused; prints what the client saw as one JSON object."""
import json
import sys

from kubernetes import client, config, watch

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
core = client.CoreV1Api()
batch = client.BatchV1Api()
namespaces.create_ready(core, ns)
seen = {}

start = batch.list_namespaced_job(ns).metadata.resource_version
job = batch.create_namespaced_job(ns, client.V1Job(
    metadata=client.V1ObjectMeta(name="hello"),
    spec=client.V1JobSpec(template=client.V1PodTemplateSpec(spec=client.V1PodSpec(
        restart_policy="Never",
        containers=[client.V1Container(name="hello", image="busybox", command=["sh", "-c", "echo hello"])])))))
seen["jobDefaults"] = {"completions": job.spec.completions, "parallelism": job.spec.parallelism,
                       "backoffLimit": job.spec.backoff_limit, "completionMode": job.spec.completion_mode,
                       "suspend": job.spec.suspend,
                       "selector": job.spec.selector.match_labels == {"batch.kubernetes.io/controller-uid": job.metadata.uid}}
events = []
for event in watch.Watch().stream(batch.list_namespaced_job, ns, resource_version=start, timeout_seconds=60):
    status = event["object"].status
    complete = any(c.type == "Complete" and c.status == "True" for c in (status.conditions or []))
    events.append([event["type"], event["object"].metadata.name, complete])
    if complete:
        break
seen["jobEvents"] = [events[0], events[-1]]
done = batch.read_namespaced_job("hello", ns)
seen["jobStatus"] = {"succeeded": done.status.succeeded, "active": done.status.active,
                     "completionTime": done.status.completion_time is not None}
pods = core.list_namespaced_pod(ns, label_selector="batch.kubernetes.io/job-name=hello").items
seen["jobPods"] = [p.status.phase for p in pods]
seen["jobLog"] = core.read_namespaced_pod_log(pods[0].metadata.name, ns)

cron = batch.create_namespaced_cron_job(ns, client.V1CronJob(
    metadata=client.V1ObjectMeta(name="nightly"),
    spec=client.V1CronJobSpec(schedule="0 3 * * *", job_template=client.V1JobTemplateSpec(spec=client.V1JobSpec(
        template=client.V1PodTemplateSpec(spec=client.V1PodSpec(
            restart_policy="OnFailure", containers=[client.V1Container(name="c", image="busybox")])))))))
seen["cronDefaults"] = {"concurrencyPolicy": cron.spec.concurrency_policy, "suspend": cron.spec.suspend,
                        "successfulJobsHistoryLimit": cron.spec.successful_jobs_history_limit,
                        "failedJobsHistoryLimit": cron.spec.failed_jobs_history_limit}
patched = batch.patch_namespaced_cron_job("nightly", ns, {"spec": {"schedule": "*/10 * * * *", "suspend": True}})
seen["cronPatched"] = [patched.spec.schedule, patched.spec.suspend]
seen["cronList"] = [c.metadata.name for c in batch.list_namespaced_cron_job(ns).items]
seen["badSchedule"] = namespaces.api_error(
    lambda: batch.patch_namespaced_cron_job("nightly", ns, {"spec": {"schedule": "every day"}}))
batch.delete_namespaced_cron_job("nightly", ns)
seen["cronGone"] = namespaces.api_error(lambda: batch.read_namespaced_cron_job("nightly", ns))["status"]
print(json.dumps(seen))
