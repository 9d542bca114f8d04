package kubefake.server.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * batch/v1 with the real kubectl in a cluster whose clock the test moves: a Job of 3 completions, 2 at a time, runs to
 * {@code Complete} ({@code kubectl wait --for=condition=complete}, the columns of {@code get jobs}, {@code logs job/}),
 * a Job whose container exits 3 fails at its backoffLimit with the real condition's reason and message, and a
 * podFailurePolicy fails a Job on its exit code or ignores the failures it names (exit codes, an eviction).
 */
class BatchE2ETest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.clocked(Duration.ofMillis(10));

    private static void advance(Duration step) throws InterruptedException {
        lab.advance(step);
    }

    /**
     * Runs kubectl in the background while the cluster's clock moves a step at a time, until it exits or {@code limit}
     * of real time has passed: how much cluster time the Job needs is known (its sleeps and back-offs), how much real
     * time the cluster's threads need for each step is not (a loaded machine), so only real time bounds the wait.
     */
    private static Kubectl.Result whileClockMoves(Kubectl k, Path home, Duration step, Duration limit, String... args)
            throws Exception {
        Path out = Files.createTempFile(home, "out", ".txt");
        Process p = k.start(out, args);
        try {
            long end = System.nanoTime() + limit.toNanos();
            while (p.isAlive() && System.nanoTime() < end) advance(step);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "kubectl " + String.join(" ", args) + " still running");
            return new Kubectl.Result(p.exitValue(), Files.readString(out), "");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Kubernetes' Job example (its docs' "Running an example Job"): the perl image prints π to 2000 digits and exits 0. */
    @Test
    void theDocsPiJobPrintsPiToTwoThousandDigits() throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl("1.33", lab.cluster().adminConf(), home);
        String ns = namespace(k, "pi", "1.33");
        Path yaml = home.resolve("pi.yaml");
        Files.writeString(yaml, """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: pi
                spec:
                  template:
                    spec:
                      containers:
                      - name: pi
                        image: perl:5.34.0
                        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
                      restartPolicy: Never
                  backoffLimit: 4
                """);
        assertEquals("job.batch/pi created\n", Kubectl.ok(k.run("-n", ns, "apply", "-f", yaml.toString())).out());
        Kubectl.Result waited = whileClockMoves(k, home, Duration.ofMillis(500), Duration.ofSeconds(60),
                "-n", ns, "wait", "--for=condition=complete", "job/pi", "--timeout=60s");
        assertEquals(0, waited.exitCode(), waited::toString);

        String printed = Kubectl.ok(k.run("-n", ns, "logs", "job/pi")).out();
        assertEquals(2002, printed.length(), "3, the point, 1,999 decimals and -l's newline: " + printed);
        assertTrue(printed.endsWith("\n"), printed);
        // the first 1,990 decimals against an independent computation (the last digit is rounded, the spigot's is not)
        assertEquals("3." + piDecimalsBySpigot(1990), printed.substring(0, 1992));
        String pod = Kubectl.ok(k.run("-n", ns, "get", "pods", "--no-headers")).out();
        assertTrue(has("^pi-[a-z0-9]{5} +0/1 +Completed +0 ", pod), pod);
    }

    /** π's first decimals by Rabinowitz and Wagon's spigot (another algorithm than the simulated image's). */
    private static String piDecimalsBySpigot(int decimals) {
        int n = decimals + 2;
        int len = n * 10 / 3 + 1;
        int[] a = new int[len];
        java.util.Arrays.fill(a, 2);
        StringBuilder digits = new StringBuilder();
        int nines = 0;
        int predigit = 0;
        for (int j = 0; j < n; j++) {
            int q = 0;
            for (int i = len; i > 0; i--) {
                int x = 10 * a[i - 1] + q * i;
                a[i - 1] = x % (2 * i - 1);
                q = x / (2 * i - 1);
            }
            a[0] = q % 10;
            q = q / 10;
            if (q == 9) {
                nines++;
            } else if (q == 10) {
                digits.append(predigit + 1);
                digits.append("0".repeat(nines));
                predigit = 0;
                nines = 0;
            } else {
                if (j > 0) digits.append(predigit);
                predigit = q;
                digits.append("9".repeat(nines));
                nines = 0;
            }
        }
        digits.append(predigit);
        return digits.substring(1, decimals + 1); // after the leading 3
    }

    /** Moves the clock a second at a time (giving the cluster's threads a moment each) until the condition holds. */
    private static void advanceUntil(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        Instant end = lab.clock().instant().plus(limit);
        while (!condition.getAsBoolean()) {
            if (lab.clock().instant().isAfter(end)) throw new AssertionError("not within " + limit + " of cluster time");
            advance(Duration.ofSeconds(1));
        }
    }

    private static boolean jobExists(String ns, String name) {
        try {
            lab.cluster().registry().resource("batch", "jobs").get(ns, name);
            return true;
        } catch (kubefake.store.registry.errors.StatusException e) {
            return false;
        }
    }

    /** The type of the Job's last condition ("" while it has none or does not exist), read in process. */
    private static String jobCondition(String ns, String name) {
        try {
            var conditions = lab.cluster().registry().resource("batch", "jobs").get(ns, name).toNode().path("status").path("conditions");
            return conditions.isEmpty() ? "" : conditions.get(conditions.size() - 1).path("type").asText();
        } catch (kubefake.store.registry.errors.StatusException e) {
            return "";
        }
    }

    /** A duration as kubectl prints DURATION and AGE columns: 45s, 4m26s, 12m, 3h5m, 2d. */
    private static final String HUMAN_DURATION = "(\\d+[dhms])+";

    private static boolean has(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }

    private static String namespace(Kubectl k, String prefix, String v) {
        String ns = prefix + "-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        // the namespace's default service account comes from its controller
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        return ns;
    }

    /**
     * A Job made without labels carries its pod template's, the generated ones included, as a real server gives it
     * (SetDefaults_Job): {@code kubectl create job --from=cronjob} (kubectl's test/cmd run_job_tests) and a manifest
     * whose template has labels of its own; {@code get jobs -l job-name=} finds them by the generated label.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void aJobWithoutLabelsCarriesItsTemplatesLabels(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, "labels", v);
        Kubectl.ok(k.run("-n", ns, "create", "cronjob", "pi", "--schedule=59 23 31 2 *", "--image=busybox", "--", "true"));
        Kubectl.ok(k.run("-n", ns, "create", "job", "test-job", "--from=cronjob/pi"));
        Path yaml = home.resolve("job.yaml");
        Files.writeString(yaml, """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: labelled
                spec:
                  template:
                    metadata:
                      labels: {app: x}
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: c, image: busybox, command: ["true"]}
                """);
        Kubectl.ok(k.run("-n", ns, "create", "-f", yaml.toString()));
        String uid = "[0-9a-f-]{36}";
        String labels = Kubectl.ok(k.run("-n", ns, "get", "jobs", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels}{\"\\n\"}{end}")).out();
        assertTrue(has("^labelled \\{\"app\":\"x\",\"batch.kubernetes.io/controller-uid\":\"" + uid
                + "\",\"batch.kubernetes.io/job-name\":\"labelled\",\"controller-uid\":\"" + uid
                + "\",\"job-name\":\"labelled\"\\}$", labels), labels);
        assertTrue(has("^test-job \\{\"batch.kubernetes.io/controller-uid\":\"" + uid
                + "\",\"batch.kubernetes.io/job-name\":\"test-job\",\"controller-uid\":\"" + uid
                + "\",\"job-name\":\"test-job\"\\}$", labels), labels);
        assertEquals("test-job", Kubectl.ok(k.run("-n", ns, "get", "jobs", "-l", "job-name=test-job", "-o", "name"))
                .out().trim().replace("job.batch/", ""));
    }

    /**
     * kubectl's test/cmd run_kubectl_events_tests: a CronJob scheduled on February 31st never runs, and the controller
     * says why in a Warning event that {@code kubectl events --for} shows, and {@code --types=Normal} leaves out.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void aCronJobThatCanNeverRunGetsAnInvalidScheduleWarning(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, "events", v);
        Kubectl.ok(k.run("-n", ns, "create", "cronjob", "pi", "--schedule=59 23 31 2 *", "--image=busybox", "--", "true"));
        Kubectl.Result warned = k.runUntil(Duration.ofSeconds(10), r -> r.out().contains("InvalidSchedule"),
                "-n", ns, "events", "--for=CronJob/pi", "--types=Warning", "--no-headers");
        assertTrue(has("^\\S+ +Warning +InvalidSchedule +CronJob/pi +invalid schedule: 59 23 31 2 \\* : time difference"
                + " between two schedules is less than 1 second$", warned.out()), warned.toString());
        String normal = k.run("-n", ns, "events", "--for=CronJob/pi", "--types=Normal").out();
        assertTrue(!normal.contains("InvalidSchedule"), normal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.29", "1.31", "1.33"})
    void aJobOfThreeCompletionsTwoAtATimeCompletes(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, "job", v);
        Path yaml = home.resolve("job.yaml");
        Files.writeString(yaml, """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: counter
                spec:
                  completions: 3
                  parallelism: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: counter
                        image: busybox
                        command: ["sh", "-c", "echo counted to 10; sleep 5"]
                """);
        assertEquals("job.batch/counter created\n", Kubectl.ok(k.run("-n", ns, "create", "-f", yaml.toString())).out());

        Kubectl.Result waited = whileClockMoves(k, home, Duration.ofMillis(500), Duration.ofSeconds(60),
                "-n", ns, "wait", "--for=condition=complete", "job/counter", "--timeout=60s");
        assertEquals(0, waited.exitCode(), waited::toString);
        assertEquals("job.batch/counter condition met\n", waited.out());

        String jobs = Kubectl.ok(k.run("-n", ns, "get", "jobs")).out();
        assertTrue(has("^NAME +STATUS +COMPLETIONS +DURATION +AGE\n", jobs), jobs);
        // DURATION and AGE in kubectl's human form ("48s", "4m26s"): the clock runs on while kubectl waits
        assertTrue(has("^counter +Complete +3/3 +" + HUMAN_DURATION + " +" + HUMAN_DURATION + "\n", jobs), jobs);
        String wide = Kubectl.ok(k.run("-n", ns, "get", "jobs", "-o", "wide")).out();
        assertTrue(has("^NAME +STATUS +COMPLETIONS +DURATION +AGE +CONTAINERS +IMAGES +SELECTOR\n", wide), wide);
        assertTrue(has("^counter +Complete +3/3 +" + HUMAN_DURATION + " +" + HUMAN_DURATION + " +counter +busybox +batch\\.kubernetes\\.io/controller-uid=[0-9a-f-]{36}\n", wide), wide);

        String pods = Kubectl.ok(k.run("-n", ns, "get", "pods", "--no-headers")).out();
        assertEquals(3, Pattern.compile("^counter-[a-z0-9]{5} +0/1 +Completed +0 ", Pattern.MULTILINE).matcher(pods).results().count(), pods);
        assertEquals("counted to 10\n", Kubectl.ok(k.run("-n", ns, "logs", "job/counter")).out());

        String status = Kubectl.ok(k.run("-n", ns, "get", "job", "counter", "-o",
                "jsonpath={.status.succeeded} {.status.ready} {.status.terminating} {.status.uncountedTerminatedPods}"
                        + " {.status.conditions[*].type} {.status.conditions[*].reason}")).out();
        assertEquals("3 0 0 {} SuccessCriteriaMet Complete CompletionsReached CompletionsReached", status);
        String described = Kubectl.ok(k.run("-n", ns, "describe", "job", "counter")).out();
        assertTrue(has("^Completions: +3$", described), described);
        assertTrue(has("^Parallelism: +2$", described), described);
        assertTrue(has("^Pods Statuses: +0 Active \\(0 Ready\\) / 3 Succeeded / 0 Failed$", described), described);
        assertTrue(has("Normal +Completed +\\S+ +job-controller +Job completed$", described), described);
        String finalizers = Kubectl.ok(k.run("-n", ns, "get", "pods", "-o", "jsonpath={.items[*].metadata.finalizers}")).out();
        assertEquals("", finalizers, "the tracking finalizer leaves counted pods");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aFailingJobStopsAtItsBackoffLimit(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, "fail", v);
        Path yaml = home.resolve("job.yaml");
        Files.writeString(yaml, """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: broken
                spec:
                  backoffLimit: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: broken
                        image: busybox
                        command: ["sh", "-c", "echo giving up >&2; exit 3"]
                """);
        Kubectl.ok(k.run("-n", ns, "create", "-f", yaml.toString()));
        Kubectl.Result waited = whileClockMoves(k, home, Duration.ofSeconds(1), Duration.ofSeconds(60),
                "-n", ns, "wait", "--for=condition=failed", "job/broken", "--timeout=60s");
        assertEquals(0, waited.exitCode(), waited::toString);

        String jobs = Kubectl.ok(k.run("-n", ns, "get", "jobs")).out();
        // a failed Job has no completionTime: its duration runs on from its start, as the real printer shows it
        assertTrue(has("^broken +Failed +0/1 +\\d+[sm]\\S* +\\d+[sm]\\S*\n", jobs), jobs);
        String failed = Kubectl.ok(k.run("-n", ns, "get", "job", "broken", "-o",
                "jsonpath={.status.failed}|{.status.conditions[?(@.type==\"Failed\")].reason}|"
                        + "{.status.conditions[?(@.type==\"Failed\")].message}")).out();
        assertEquals("3|BackoffLimitExceeded|Job has reached the specified backoff limit", failed);
        String pods = Kubectl.ok(k.run("-n", ns, "get", "pods", "--no-headers")).out();
        assertEquals(3, Pattern.compile("^broken-[a-z0-9]{5} +0/1 +Error +0 ", Pattern.MULTILINE).matcher(pods).results().count(), pods);
        String events = Kubectl.ok(k.run("-n", ns, "get", "events", "--field-selector", "involvedObject.kind=Job")).out();
        assertTrue(has("Warning +BackoffLimitExceeded +job/broken +Job has reached the specified backoff limit", events), events);
    }

    /**
     * A Job with a podFailurePolicy of one rule ({@code action} and its requirement's YAML) whose container {@code main}
     * runs {@code sh -c command}; {@code spec} adds lines to its spec.
     */
    private static String policyJob(String name, String spec, String action, String requirement, String command) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: %s
                spec:
                %s  podFailurePolicy:
                    rules:
                    - action: %s
                %s  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: main
                        image: busybox
                        command: ["sh", "-c", "%s"]
                """.formatted(name, spec, action, requirement, command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aPodFailurePolicyFailsTheJobOnExitCode42AndIgnoresExitCode1(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, "pfp", v);
        Path yaml = home.resolve("jobs.yaml");
        Files.writeString(yaml, policyJob("answer", "", "FailJob", """
                      onExitCodes:
                        containerName: main
                        operator: In
                        values: [42]
                """, "exit 42") + "---\n" + policyJob("retry", "  backoffLimit: 1\n", "Ignore", """
                      onExitCodes:
                        operator: In
                        values: [1]
                """, "sleep 5; exit 1"));
        assertEquals("job.batch/answer created\njob.batch/retry created\n",
                Kubectl.ok(k.run("-n", ns, "create", "-f", yaml.toString())).out());
        Kubectl.Result waited = whileClockMoves(k, home, Duration.ofSeconds(1), Duration.ofSeconds(60),
                "-n", ns, "wait", "--for=condition=failed", "job/answer", "--timeout=60s");
        assertEquals(0, waited.exitCode(), waited::toString);

        String jobs = Kubectl.ok(k.run("-n", ns, "get", "job", "answer")).out();
        assertTrue(has("^answer +Failed +0/1 +\\d+[sm]\\S* +\\d+[sm]\\S*\n", jobs), jobs);
        String pod = Kubectl.ok(k.run("-n", ns, "get", "pods", "-l", "job-name=answer", "-o", "jsonpath={.items[0].metadata.name}")).out();
        String message = "Container main for pod " + ns + "/" + pod + " failed with exit code 42 matching FailJob rule at index 0";
        String failed = Kubectl.ok(k.run("-n", ns, "get", "job", "answer", "-o",
                "jsonpath={.status.failed}|{.status.conditions[*].type}|{.status.conditions[?(@.type==\"Failed\")].reason}|"
                        + "{.status.conditions[?(@.type==\"Failed\")].message}")).out();
        assertEquals("1|FailureTarget Failed|PodFailurePolicy|" + message, failed);
        String described = Kubectl.ok(k.run("-n", ns, "describe", "job", "answer")).out();
        assertTrue(has("^Pods Statuses: +0 Active \\(0 Ready\\) / 0 Succeeded / 1 Failed$", described), described);
        assertTrue(has("Warning +PodFailurePolicy +\\S+ +job-controller +" + Pattern.quote(message) + "$", described), described);

        // retry: each pod exits 1 after 5 s; the Ignore rule keeps the Job going well past backoffLimit 1
        advanceUntil(() -> lab.cluster().registry().resource("", "pods")
                .list(ns, kubefake.store.registry.ListOptions.labelSelector("job-name=retry")).items().stream()
                .filter(p -> p.toNode().path("status").path("phase").asText().equals("Failed")).count() >= 4, Duration.ofMinutes(2));
        String retry = Kubectl.ok(k.run("-n", ns, "get", "job", "retry", "--no-headers")).out();
        assertTrue(has("^retry +Running +0/1 +", retry), retry);
        String counts = Kubectl.ok(k.run("-n", ns, "get", "job", "retry", "-o",
                "jsonpath={.status.failed}|{.status.active}|{.status.conditions}")).out();
        assertEquals("|1|", counts);
        String pods = Kubectl.ok(k.run("-n", ns, "get", "pods", "-l", "job-name=retry", "--no-headers")).out();
        assertTrue(Pattern.compile("^retry-[a-z0-9]{5} +0/1 +Error +0 ", Pattern.MULTILINE).matcher(pods).results().count() >= 4, pods);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.33"})
    void anEvictedPodOfAJobIgnoringDisruptionsIsReplacedWithoutCountingAsAFailure(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, "evict", v);
        Path yaml = home.resolve("job.yaml");
        Files.writeString(yaml, policyJob("patient", "  backoffLimit: 0\n", "Ignore", """
                      onPodConditions:
                      - type: DisruptionTarget
                """, "sleep 600"));
        Kubectl.ok(k.run("-n", ns, "create", "-f", yaml.toString()));
        Kubectl.Result ready = whileClockMoves(k, home, Duration.ofMillis(500), Duration.ofSeconds(30),
                "-n", ns, "wait", "--for=condition=ready", "pod", "-l", "job-name=patient", "--timeout=60s");
        assertEquals(0, ready.exitCode(), ready::toString);
        String first = Kubectl.ok(k.run("-n", ns, "get", "pods", "-l", "job-name=patient", "-o", "jsonpath={.items[0].metadata.name}")).out();
        Path eviction = home.resolve("eviction.json");
        Files.writeString(eviction, "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + first
                + "\",\"namespace\":\"" + ns + "\"}}");
        Kubectl.ok(k.run("create", "--raw", "/api/v1/namespaces/" + ns + "/pods/" + first + "/eviction", "-f", eviction.toString()));

        // the kubelet stops the evicted pod (Failed, DisruptionTarget); the Job replaces it and goes on
        advanceUntil(() -> lab.cluster().registry().resource("", "pods")
                .list(ns, kubefake.store.registry.ListOptions.labelSelector("job-name=patient")).items().stream()
                .anyMatch(p -> !p.toNode().path("metadata").path("name").asText().equals(first)
                        && p.toNode().path("status").path("phase").asText().equals("Running")), Duration.ofMinutes(2));
        String counts = Kubectl.ok(k.run("-n", ns, "get", "job", "patient", "-o",
                "jsonpath={.status.failed}|{.status.active}|{.status.conditions}")).out();
        assertEquals("|1|", counts);
        String jobs = Kubectl.ok(k.run("-n", ns, "get", "job", "patient", "--no-headers")).out();
        assertTrue(has("^patient +Running +0/1 +", jobs), jobs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aCronJobEveryMinuteRunsOnScheduleOverTenMinutes(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), home);
        String ns = namespace(k, "cron", v);
        Path yaml = home.resolve("cronjob.yaml");
        Files.writeString(yaml, """
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: tick
                spec:
                  schedule: "* * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers:
                          - name: tick
                            image: busybox
                            command: ["sh", "-c", "echo tick; sleep 2"]
                """);
        assertEquals("cronjob.batch/tick created\n", Kubectl.ok(k.run("-n", ns, "create", "-f", yaml.toString())).out());
        String explained = Kubectl.ok(k.run("explain", "cronjob.spec.schedule")).out();
        assertTrue(explained.contains("The schedule in Cron format"), explained);
        long createdMinute = lab.clock().instant().getEpochSecond() / 60;
        // minute by minute: each minute's Job is created at that minute
        for (long m = createdMinute + 1; m <= createdMinute + 10; m++) {
            String name = "tick-" + m;
            advanceUntil(() -> jobExists(ns, name), Duration.ofMinutes(2));
            Instant created = Instant.parse(lab.cluster().registry().resource("batch", "jobs").get(ns, name).toNode()
                    .path("metadata").path("creationTimestamp").asText());
            assertEquals(m, created.getEpochSecond() / 60, name + " created in its minute");
        }
        assertEquals("cronjob.batch/tick patched\n", Kubectl.ok(k.run("-n", ns, "patch", "cronjob", "tick", "-p",
                "{\"spec\":{\"suspend\":true}}")).out());
        long last = createdMinute + 10;
        advanceUntil(() -> jobCondition(ns, "tick-" + last).equals("Complete") && jobCondition(ns, "tick-" + (last - 1)).equals("Complete")
                && lab.cluster().registry().resource("batch", "cronjobs").get(ns, "tick").toNode().path("status").path("active").isEmpty()
                && !jobExists(ns, "tick-" + (last - 3)), Duration.ofMinutes(3));

        String cronJobs = Kubectl.ok(k.run("-n", ns, "get", "cronjobs")).out();
        assertTrue(has("^NAME +SCHEDULE +TIMEZONE +SUSPEND +ACTIVE +LAST SCHEDULE +AGE\n", cronJobs), cronJobs);
        assertTrue(has("^tick +\\* \\* \\* \\* \\* +<none> +True +0 +\\d+s +(9m\\d+s|1[0-3]m)\n", cronJobs),
                () -> cronJobs + k.run("-n", ns, "get", "jobs,pods", "-o", "wide").out());
        // ten runs; the three latest successful ones are kept (successfulJobsHistoryLimit)
        String jobs = Kubectl.ok(k.run("-n", ns, "get", "jobs", "--no-headers", "--sort-by=.metadata.name",
                "-o", "custom-columns=NAME:.metadata.name,STATUS:.status.conditions[-1].type")).out();
        StringBuilder expected = new StringBuilder();
        for (long m = last - 2; m <= last; m++) expected.append("tick-").append(m).append("   Complete\n");
        assertEquals(expected.toString(), jobs.replaceAll(" +", "   "));

        assertEquals("job.batch/by-hand created\n", Kubectl.ok(k.run("-n", ns, "create", "job", "by-hand", "--from=cronjob/tick")).out());
        String owner = Kubectl.ok(k.run("-n", ns, "get", "job", "by-hand", "-o",
                "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} "
                        + "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}")).out();
        assertEquals("CronJob/tick manual", owner);
        Kubectl.Result waited = whileClockMoves(k, home, Duration.ofMillis(500), Duration.ofSeconds(30),
                "-n", ns, "wait", "--for=condition=complete", "job/by-hand", "--timeout=60s");
        assertEquals(0, waited.exitCode(), waited::toString);
        assertEquals("tick\n", Kubectl.ok(k.run("-n", ns, "logs", "job/by-hand")).out());
    }
}
