package kubefake.controllers.cronjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CronJob controller on the manual clock: Jobs appear at the scheduled minutes, whatever the test's real time. */
class CronJobControllerTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("lab");
    private final ResourceClient cronJobs = cluster.admin.resource("batch", "cronjobs");
    private final ResourceClient jobs = cluster.admin.resource("batch", "jobs");
    private CronJobController controller;

    private void start() {
        controller = new CronJobController(cluster.controllerClient(CronJobController.NAME), cluster.informers, cluster.runtime);
        controller.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        if (controller != null) controller.close();
        cluster.close();
    }

    private static ObjectNode cronJob(String name, String spec) {
        return Json.parseObject(("{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'" + name + "','namespace':'lab'},"
                + "'spec':{" + spec + "'jobTemplate':{'metadata':{'labels':{'team':'ops'}},'spec':{'template':{'spec':{"
                + "'restartPolicy':'OnFailure','containers':[{'name':'c','image':'busybox'}]}}}}}}")
                .replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private List<ObjectNode> jobs() {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject o : jobs.list("lab")) if (!o.toNode().path("metadata").has("deletionTimestamp")) out.add(o.toNode());
        out.sort((a, b) -> name(a).compareTo(name(b)));
        return out;
    }

    private List<String> jobNames() {
        return jobs().stream().map(ControllerTestCluster::name).toList();
    }

    private Instant now() {
        return cluster.runtime.clock().instant();
    }

    /** Moves the clock to {@code seconds} past the next minute. */
    private long toNextMinute(int seconds) {
        long minute = now().getEpochSecond() / 60 + 1;
        cluster.runtime.advance(Duration.between(now(), Instant.ofEpochSecond(minute * 60 + seconds)));
        return minute;
    }

    private void complete(String job) {
        jobs.patchStatus("lab", job, j -> {
            ObjectNode st = j.with("status");
            st.put("startTime", now().toString()).put("completionTime", now().toString()).put("succeeded", 1);
            st.putArray("conditions").addObject().put("type", "Complete").put("status", "True")
                    .put("lastTransitionTime", now().toString());
            return j;
        });
        cluster.runtime.runUntilIdle();
    }

    @Test
    void everyMinuteAJobNamedAfterTheScheduledMinute() {
        start();
        ObjectNode cj = cronJobs.create(cronJob("tick", "'schedule':'* * * * *',")).toNode();
        cluster.runtime.runUntilIdle();
        assertEquals(List.of(), jobNames(), "nothing before the first scheduled minute");

        // the controller looks again 100 ms after the scheduled time
        long minute = toNextMinute(1);
        assertEquals(List.of("tick-" + minute), jobNames());
        ObjectNode job = jobs().get(0);
        assertEquals("ops", job.path("metadata").path("labels").path("team").asText());
        assertEquals(Instant.ofEpochSecond(minute * 60).toString(),
                job.path("metadata").path("annotations").path(CronJobController.SCHEDULED_TIMESTAMP).asText());
        JsonNode owner = job.path("metadata").path("ownerReferences").get(0);
        assertEquals("CronJob/tick/" + cj.path("metadata").path("uid").asText() + "/true",
                owner.path("kind").asText() + "/" + owner.path("name").asText() + "/" + owner.path("uid").asText() + "/"
                        + owner.path("controller").asText());
        JsonNode status = cronJobs.get("lab", "tick").toNode().path("status");
        assertEquals(Instant.ofEpochSecond(minute * 60).toString(), status.path("lastScheduleTime").asText());
        assertEquals("tick-" + minute, status.path("active").get(0).path("name").asText());

        complete("tick-" + minute);
        status = cronJobs.get("lab", "tick").toNode().path("status");
        assertTrue(status.path("active").isMissingNode(), status.toString());
        assertEquals(now().toString(), status.path("lastSuccessfulTime").asText());

        cluster.runtime.advance(Duration.ofMinutes(2));
        assertEquals(List.of("tick-" + minute, "tick-" + (minute + 1), "tick-" + (minute + 2)), jobNames());
        List<String> events = cluster.events("lab", "CronJob", "tick");
        assertTrue(events.contains("SuccessfulCreate: Created job tick-" + minute), events.toString());
        assertTrue(events.contains("SawCompletedJob: Saw completed job: tick-" + minute + ", condition: Complete"), events.toString());
    }

    @Test
    void forbidSkipsARunWhileOneIsActiveAndReplaceDeletesIt() {
        start();
        cronJobs.create(cronJob("forbid", "'schedule':'* * * * *','concurrencyPolicy':'Forbid',"));
        cronJobs.create(cronJob("replace", "'schedule':'* * * * *','concurrencyPolicy':'Replace',"));
        cluster.runtime.runUntilIdle();
        long minute = toNextMinute(1);
        cluster.runtime.advance(Duration.ofMinutes(1));
        assertEquals(List.of("forbid-" + minute, "replace-" + (minute + 1)), jobNames());
        assertTrue(cluster.events("lab", "CronJob", "forbid").contains(
                "JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid"));
        assertTrue(cluster.events("lab", "CronJob", "replace").contains("SuccessfulDelete: Deleted job replace-" + minute));
    }

    /** February 31st parses but never comes: the real controller warns InvalidSchedule and starts nothing. */
    @Test
    void aScheduleThatNeverFiresIsInvalid() {
        start();
        cronJobs.create(cronJob("never", "'schedule':'59 23 31 2 *',"));
        cronJobs.create(cronJob("daily", "'schedule':'0 0 * * *',"));
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("InvalidSchedule: invalid schedule: 59 23 31 2 * : time difference between two schedules is less than 1 second"),
                cluster.events("lab", "CronJob", "never"));
        assertEquals(List.of(), cluster.events("lab", "CronJob", "daily"), "a schedule that fires later is no error");
        cluster.runtime.advance(Duration.ofDays(2));
        assertEquals(List.of("daily"), jobNames().stream().map(n -> n.replaceAll("-[0-9]+$", "")).distinct().toList());
    }

    @Test
    void aScheduleRunsInItsTimeZoneAndNotWhileSuspended() {
        start();
        // 09:00 in Tokyo is 00:00 UTC
        cronJobs.create(cronJob("tokyo", "'schedule':'0 9 * * *','timeZone':'Asia/Tokyo',"));
        cronJobs.create(cronJob("paused", "'schedule':'* * * * *','suspend':true,"));
        cluster.runtime.runUntilIdle();
        long day = now().getEpochSecond() / 86400 + 1;
        cluster.runtime.advance(Duration.between(now(), Instant.ofEpochSecond(day * 86400 - 1)));
        assertEquals(List.of(), jobNames());
        cluster.runtime.advance(Duration.ofSeconds(2));
        assertEquals(List.of("tokyo-" + day * 1440), jobNames());
        assertEquals(Instant.ofEpochSecond(day * 86400).toString().substring(0, 10) + "T09:00:00+09:00",
                jobs().get(0).path("metadata").path("annotations").path(CronJobController.SCHEDULED_TIMESTAMP).asText());
    }

    @Test
    void finishedJobsBeyondTheHistoryLimitAreDeleted() {
        start();
        cronJobs.create(cronJob("keep2", "'schedule':'* * * * *','successfulJobsHistoryLimit':2,"));
        cluster.runtime.runUntilIdle();
        long minute = toNextMinute(1);
        for (int i = 0; i < 4; i++) {
            complete("keep2-" + (minute + i));
            cluster.runtime.advance(Duration.ofMinutes(1));
        }
        // four done, the fifth running: the two latest finished ones stay
        assertEquals(List.of("keep2-" + (minute + 2), "keep2-" + (minute + 3), "keep2-" + (minute + 4)), jobNames());
    }
}
