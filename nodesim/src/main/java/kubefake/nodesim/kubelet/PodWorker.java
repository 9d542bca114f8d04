package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.events.EventRecorder;
import kubefake.client.events.ObjectReference;
import kubefake.client.runtime.Cancellable;
import kubefake.nodesim.Durations;
import kubefake.nodesim.lifecycle.LifecycleProfile;
import kubefake.nodesim.lifecycle.Stage;
import kubefake.nodesim.lifecycle.StageEvent;
import kubefake.nodesim.lifecycle.Step;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.runtime.Behaviour;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.LiveProcess;
import kubefake.nodesim.runtime.Timeline;
import kubefake.nodesim.runtime.Image;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One pod on a kubelet: a small state machine on the cluster clock. The pod gets its sandbox (an IP from the node's
 * Calico block), then its containers their turn (init containers one by one, then the others), each moved from step
 * to step by the lifecycle profile's stages; their processes behave as the image catalogue says. The pod's status is
 * written (coalesced) whenever something changed. A deleted pod's containers are stopped (SIGTERM, then SIGKILL when
 * the grace period ends), after which the kubelet deletes the pod for good.
 *
 * <p>Lane-confined: everything runs on its kubelet's lane.
 */
final class PodWorker {
    private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
    /** The shortest grace the kubelet gives a container it stops (minimumGracePeriodInSeconds). */
    private static final long MINIMUM_GRACE_SECONDS = 2;
    private static final int STARTUP = 0;
    private static final int READINESS = 1;
    private static final int LIVENESS = 2;

    final Kubelet kubelet;
    final String uid;
    final String namespace;
    final String name;
    /** A static pod's manifest after the kubelet's defaults (null for a pod of the API: see {@link #pod()}). */
    private final ObjectNode manifest;
    /** The pod as the informer last had it (its bytes are the informer cache's); null for a static pod. */
    private StoredObject stored;
    private final StaticPods.StaticPod staticPod;
    /** The mirror pod a static pod's status is written to (null until created). */
    private String mirrorUid;

    private Step podStep = Step.Admitted;
    private Cancellable podTimer;
    private String podIp;
    private boolean sandboxReady;
    private Instant startTime;
    private final boolean foundRunning;
    // fields of the pod's spec that never change (the API refuses their update): read once, not from the tree at each
    // use (a pod's tree is kept weakly, and parsed again after a collection)
    private final boolean hostNetwork;
    private final String runtimeClassName;
    private final String restartPolicy;
    private final List<ContainerRecord> initContainers = new ArrayList<>();
    private final List<ContainerRecord> containers = new ArrayList<>();
    /** The ephemeral containers kubectl debug added, in the order the spec lists them. */
    private final List<ContainerRecord> ephemeralContainers = new ArrayList<>();
    private boolean terminating;
    private boolean terminal;
    private boolean gone;
    private boolean statusQueued;
    /** The next queued status write is the one a sync starts with: made even amid the sync's steps. */
    private boolean writeAtSyncStart;

    /** @param pod a static pod's manifest (the worker's own), or the shared tree of {@code stored} (only read) */
    PodWorker(Kubelet kubelet, ObjectNode pod, StoredObject stored, StaticPods.StaticPod staticPod) {
        this.kubelet = kubelet;
        this.manifest = staticPod == null ? null : slim(pod);
        this.stored = stored;
        this.staticPod = staticPod;
        ObjectNode meta = Json.metadata(pod);
        this.uid = Json.text(meta, "uid");
        this.namespace = Json.text(meta, "namespace");
        this.name = Json.text(meta, "name");
        LifecycleProfile.FoundRunning found = kubelet.context.profile().foundRunning();
        this.foundRunning = found.namespaces().contains(namespace) && kubelet.withinFoundRunningWindow();
        JsonNode spec = pod().path("spec");
        this.hostNetwork = spec.path("hostNetwork").asBoolean(false);
        this.runtimeClassName = spec.path("runtimeClassName").asText("");
        this.restartPolicy = spec.path("restartPolicy").asText("Always");
        for (JsonNode c : spec.path("initContainers")) initContainers.add(record(c, true));
        for (JsonNode c : spec.path("containers")) containers.add(record(c, false));
        addEphemeralContainers(pod());
    }

    /** Takes on the ephemeral containers the spec lists that the worker does not know yet; true if there were any. */
    private boolean addEphemeralContainers(JsonNode pod) {
        boolean added = false;
        for (JsonNode spec : pod.path("spec").path("ephemeralContainers")) {
            String container = spec.path("name").asText();
            if (ephemeralContainers.stream().anyMatch(c -> c.name.equals(container))) continue;
            ContainerRecord c = record(spec, false);
            c.ephemeral = true;
            ephemeralContainers.add(c);
            added = true;
        }
        return added;
    }

    /**
     * The pod the kubelet works from: a static pod's manifest, or the shared tree of the revision the informer last
     * showed (only read; kept weakly by the revision, parsed again if it was collected), so that thousands of pods
     * running cost the kubelet no copy of each.
     */
    ObjectNode pod() {
        return manifest != null ? manifest : stored.tree();
    }

    /** The pod without what the kubelet never reads (a static pod's manifest). */
    private static ObjectNode slim(ObjectNode pod) {
        pod.remove("status");
        Json.metadata(pod).remove("managedFields");
        return pod;
    }

    private ContainerRecord record(JsonNode spec, boolean init) {
        ContainerRecord c = new ContainerRecord(spec.path("name").asText(), init, spec,
                kubelet.context.catalogue().resolve(spec.path("image").asText()));
        c.crashBackOff = new BackOff(kubelet.context.profile().crashLoopBackOff());
        c.pullBackOff = new BackOff(kubelet.context.profile().imagePullBackOff());
        return c;
    }

    boolean isStatic() {
        return staticPod != null;
    }

    String mirrorName() {
        return name;
    }

    private Instant now() {
        return kubelet.now();
    }

    private boolean hostNetwork() {
        return hostNetwork;
    }

    // ---------------------------------------------------------------- admission and updates

    /** The kubelet takes the pod: first status (Pending, ContainerCreating), then the sandbox stage. */
    void admit() {
        if (pod().path("metadata").hasNonNull("deletionTimestamp")) {
            // deleted before this kubelet started anything: nothing runs, the pod can go
            terminating = true;
            finishTermination();
            return;
        }
        if (!isStatic() && adoptRunning()) return;
        startTime = now();
        if (isStatic()) ensureMirror();
        markDirty(true);
        advancePod();
    }

    /**
     * A pod whose status says it runs, met by a kubelet with no record of it: the control plane restarted on its
     * recovered store, and the node's containers ran on meanwhile, as a real node's do. The kubelet takes the pod over
     * as its status shows it (sandbox and IP, start time, each container's ID, start, restarts and last state) instead
     * of starting it again. False, with nothing taken, when the status is not that of a running pod.
     */
    private boolean adoptRunning() {
        if (stored == null) return false;
        JsonNode status = stored.tree().path("status"); // read only
        if (!status.path("phase").asText().equals("Running")) return false;
        java.util.Map<String, JsonNode> statuses = new java.util.HashMap<>();
        for (JsonNode s : status.path("initContainerStatuses")) statuses.put("init:" + s.path("name").asText(), s);
        for (JsonNode s : status.path("containerStatuses")) statuses.put(s.path("name").asText(), s);
        for (ContainerRecord c : initContainers) {
            if (statuses.getOrDefault("init:" + c.name, Json.MAPPER.missingNode()).path("state").path("terminated")
                    .path("exitCode").asInt(-1) != 0) return false;
        }
        for (ContainerRecord c : containers) {
            if (!statuses.getOrDefault(c.name, Json.MAPPER.missingNode()).path("state").has("running")) return false;
        }
        String ip = status.path("podIP").asText("");
        if (hostNetwork()) {
            ip = kubelet.node.internalIp();
        } else if (ip.isEmpty() || !kubelet.context.ipam().reserve(kubelet.node.name(), ip)) {
            return false;
        }
        podIp = ip;
        podStep = Step.SandboxReady;
        sandboxReady = true;
        startTime = instant(status.path("startTime"), now());
        for (ContainerRecord c : initContainers) {
            JsonNode t = statuses.get("init:" + c.name).path("state").path("terminated");
            c.step = Step.Done;
            c.hasRun = true;
            c.containerId = t.path("containerID").asText(null);
            c.current = terminated(t);
        }
        for (ContainerRecord c : containers) adoptRunning(c, statuses.get(c.name));
        markDirty();
        return true;
    }

    private void adoptRunning(ContainerRecord c, JsonNode s) {
        kubelet.images.add(c.image);
        c.step = Step.Running;
        c.hasRun = true;
        c.restartCount = s.path("restartCount").asInt(0);
        c.containerId = s.path("containerID").asText(null);
        JsonNode last = s.path("lastState").path("terminated");
        if (last.isObject()) c.current = terminated(last);
        c.startedAt = instant(s.path("state").path("running").path("startedAt"), now());
        c.process = start(c);
        c.started = s.path("started").asBoolean(true);
        c.ready = s.path("ready").asBoolean(false);
        if (c.process.exits()) scheduleExit(c, c.startedAt.plus(c.process.exitAfter()), c.process.exitCode());
        else c.exitsAt = null;
        startProbes(c);
    }

    private ContainerRecord.Terminated terminated(JsonNode t) {
        int code = t.path("exitCode").asInt();
        return new ContainerRecord.Terminated(code, t.path("reason").asText(ContainerRecord.reasonFor(code)),
                instant(t.path("startedAt"), now()), instant(t.path("finishedAt"), now()), t.path("containerID").asText(null));
    }

    private static Instant instant(JsonNode time, Instant otherwise) {
        try {
            return time.isTextual() ? Instant.parse(time.asText()) : otherwise;
        } catch (java.time.format.DateTimeParseException e) {
            return otherwise;
        }
    }

    /** A newer version of the pod from the informer. */
    void update(StoredObject newerStored) {
        if (gone) return;
        StoredObject shown = stored; // its tree only read when needed: it may have to be parsed again
        stored = newerStored;
        ObjectNode newer = pod();
        if (!terminating && newer.path("metadata").hasNonNull("deletionTimestamp")) {
            beginTermination();
            return;
        }
        if (terminating) {
            // a shorter grace period (kubectl delete --grace-period=N again) brings the kills forward
            if (!Objects.equals(shown.tree().path("metadata").path("deletionGracePeriodSeconds"), newer.path("metadata").path("deletionGracePeriodSeconds"))) {
                for (ContainerRecord c : all()) if (c.running()) kill(c, null);
            }
            return;
        }
        // new ephemeral containers (kubectl debug) start in the running pod
        if (addEphemeralContainers(newer)) nextTurn();
        // a container whose image changed (kubectl set image on a bare pod) is restarted with the new image
        List<JsonNode> specs = new ArrayList<>();
        newer.path("spec").path("containers").forEach(specs::add);
        for (int i = 0; i < containers.size() && i < specs.size(); i++) {
            ContainerRecord c = containers.get(i);
            String image = specs.get(i).path("image").asText();
            if (!image.equals(c.spec().path("image").asText())) {
                c.spec(specs.get(i));
                c.image = kubelet.context.catalogue().resolve(image);
                if (c.running()) {
                    kill(c, "Container " + c.name + " definition changed, will be restarted");
                } else if (c.step != Step.Waiting && c.step != Step.Exited) {
                    c.cancelStageTimers();
                    enter(c, Step.Pull, c.step);
                    advance(c);
                }
            }
        }
    }

    /** The kubelet stopped: nothing moves until it starts again. */
    void suspend() {
        if (podTimer != null) podTimer.cancel();
        podTimer = null;
        for (ContainerRecord c : all()) c.cancelAllTimers();
    }

    /** The kubelet started again: catch up with what happened meanwhile, then carry on. */
    void resume() {
        if (gone) return;
        Instant now = now();
        for (ContainerRecord c : all()) {
            if (c.running()) {
                if (c.exitsAt != null && !c.exitsAt.isAfter(now)) {
                    exited(c, c.exitsAt, c.exitCode);
                    continue;
                }
                if (c.exitsAt != null) scheduleExit(c, c.exitsAt, c.exitCode);
                if (!terminating) startProbes(c);
            } else if (!terminating) {
                advance(c);
            }
        }
        if (!terminating && pod().path("metadata").hasNonNull("deletionTimestamp")) {
            beginTermination();
        } else if (terminating) {
            checkTerminated();
        } else if (podStep == Step.Admitted) {
            advancePod();
        }
        markDirty(true);
    }

    /** The pod is gone from the API: stop everything, give its address back. */
    void forget() {
        gone = true;
        suspend();
        releaseSandbox();
        removeProcesses();
    }

    /** The pod is gone: so are its containers' runs. */
    private void removeProcesses() {
        for (ContainerRecord c : all()) {
            killLive(c.containerId);
            kubelet.context.processes().removed(c.containerId);
            if (c.current != null) kubelet.context.processes().removed(c.current.containerId());
            if (c.previous != null) kubelet.context.processes().removed(c.previous.containerId());
        }
    }

    private List<ContainerRecord> all() {
        List<ContainerRecord> all = new ArrayList<>(initContainers);
        all.addAll(containers);
        all.addAll(ephemeralContainers);
        return all;
    }

    // ---------------------------------------------------------------- the pod's own stages (sandbox)

    private void advancePod() {
        if (terminating || !kubelet.isRunning()) return;
        if (podTimer != null) podTimer.cancel();
        var stage = kubelet.context.profile().stageFrom(podStep, this::podFact);
        if (stage.isEmpty()) return;
        Stage s = stage.get();
        Duration delay = foundRunning ? Duration.ZERO : s.delay().of(kubelet.random, 0, Duration.ZERO);
        podTimer = kubelet.after(delay, () -> {
            podTimer = null;
            if (podStep != s.from() || terminating) return;
            for (StageEvent e : s.events()) record(null, e);
            podStep = s.next();
            if (podStep == Step.SandboxReady) sandboxReady();
            markDirty();
            advancePod();
        });
    }

    private void sandboxReady() {
        String sandboxId = kubelet.newSandboxId();
        String runtimeProblem = runtimeHandlerProblem();
        if (runtimeProblem != null) {
            // the pod stays ContainerCreating; the kubelet's next sync tries again
            kubelet.recorder.event(reference(null), EventRecorder.WARNING, "FailedCreatePodSandBox",
                    "Failed to create pod sandbox: " + runtimeProblem);
            podStep = Step.Admitted;
            podTimer = kubelet.after(Duration.ofSeconds(10), this::advancePod);
            return;
        }
        if (hostNetwork()) {
            podIp = kubelet.node.internalIp();
        } else {
            try {
                podIp = kubelet.context.ipam().allocate(kubelet.node.name());
            } catch (CalicoIpam.IpamExhaustedException e) {
                kubelet.recorder.event(reference(null), EventRecorder.WARNING, "FailedCreatePodSandBox",
                        "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \""
                                + sandboxId + "\": plugin type=\"calico\" failed (add): " + e.getMessage());
                podStep = Step.Admitted;
                podTimer = kubelet.after(Duration.ofSeconds(10), this::advancePod);
                return;
            }
            annotateWithCalico(sandboxId);
        }
        sandboxReady = true;
        nextTurn();
    }

    /**
     * Why the pod's RuntimeClass gives containerd no runtime to start its sandbox with (null when it does): the class
     * missing ({@code LookupRuntimeHandler}), or a handler other than the lab's containerd's one runtime, runc.
     */
    private String runtimeHandlerProblem() {
        String name = runtimeClassName;
        if (name.isEmpty()) return null;
        var runtimeClass = kubelet.client.resource("node.k8s.io", "runtimeclasses").find("", name);
        if (runtimeClass.isEmpty()) return "runtimeclass.node.k8s.io \"" + name + "\" not found";
        String handler = runtimeClass.get().tree().path("handler").asText("");
        if (handler.equals("runc")) return null;
        return "rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for \"" + handler + "\" is configured";
    }

    /** What Calico's CNI plugin writes on the pod once its network is set up. */
    private void annotateWithCalico(String sandboxId) {
        String ip = podIp + "/32";
        try {
            kubelet.calico.resource("", "pods").patch(namespace, name, p -> {
                if (!Json.text(Json.metadata(p), "uid").equals(uid)) return null;
                ObjectNode a = Json.metadata(p).with("annotations");
                a.put("cni.projectcalico.org/containerID", sandboxId);
                a.put("cni.projectcalico.org/podIP", ip);
                a.put("cni.projectcalico.org/podIPs", ip);
                return p;
            });
        } catch (StatusException e) {
            if (e.code() != 404) LOG.warn("pod {}/{}: Calico's annotations not written: {}", namespace, name, e.getMessage());
        }
    }

    private void releaseSandbox() {
        if (sandboxReady && !hostNetwork() && podIp != null) kubelet.context.ipam().release(podIp);
        sandboxReady = false;
    }

    /** Gives the next containers their turn: the first unfinished init container, else every regular container. */
    private void nextTurn() {
        if (terminating || terminal || !sandboxReady) return;
        // ephemeral containers start whatever the others are doing (the kubelet starts them in any sync)
        for (ContainerRecord c : ephemeralContainers) {
            if (c.step == Step.Waiting) {
                enter(c, Step.Pull, Step.Waiting);
                advance(c);
            }
        }
        for (ContainerRecord c : initContainers) {
            if (c.step == Step.Done && c.current != null && c.current.exitCode() == 0) continue;
            if (c.step == Step.Waiting) {
                enter(c, Step.Pull, Step.Waiting);
                advance(c);
            }
            return;
        }
        for (ContainerRecord c : containers) {
            if (c.step == Step.Waiting) {
                enter(c, Step.Pull, Step.Waiting);
                advance(c);
            }
        }
    }

    // ---------------------------------------------------------------- container stages

    /** Takes the container's next stage, if one leaves its step: waits the stage's delay, then moves it on. */
    private void advance(ContainerRecord c) {
        if (terminating || !kubelet.isRunning()) return;
        if (c.stageTimer != null) c.stageTimer.cancel();
        c.stageTimer = null;
        var stage = kubelet.context.profile().stageFrom(c.step, fact -> containerFact(c, fact));
        if (stage.isEmpty()) return;
        if (c.step == Step.Pulling) {
            pull(c);
            return;
        }
        Stage s = stage.get();
        c.stageTimer = kubelet.after(delayOf(c, s), () -> fire(c, s));
    }

    /**
     * The pull waits its turn at the node's puller (one pull at a time); its stage is taken when it begins, so that a
     * pull of an image that an earlier pull brought meanwhile is a pull of a present image.
     */
    private void pull(ContainerRecord c) {
        Stage[] taken = new Stage[1];
        boolean[] asking = {true}; // begun as it is asked for: no wait (not the clock's ticks since "Pulling image")
        c.stageTimer = kubelet.puller.pull(() -> {
            // a request not cancelled is the container's current one: none means it waits for nothing
            var stage = c.step != Step.Pulling || terminating || gone || !kubelet.isRunning() ? java.util.Optional.<Stage>empty()
                    : kubelet.context.profile().stageFrom(c.step, fact -> containerFact(c, fact));
            if (stage.isEmpty()) {
                c.stageTimer = null;
                return null;
            }
            taken[0] = stage.get();
            c.pullBegan = asking[0] && c.pullStarted != null ? c.pullStarted : now();
            return delayOf(c, taken[0]);
        }, () -> fire(c, taken[0]));
        asking[0] = false;
    }

    private Duration delayOf(ContainerRecord c, Stage s) {
        return foundRunning && s.delay().from() == kubefake.nodesim.lifecycle.Delay.From.none ? Duration.ZERO
                : s.delay().of(kubelet.random, c.image.size(), backOffLeft(c));
    }

    private void fire(ContainerRecord c, Stage s) {
        c.stageTimer = null;
        if (c.step != s.from() || terminating || gone) return;
        if (c.repeatTimer != null) c.repeatTimer.cancel();
        c.repeatTimer = null;
        if (s.from() == Step.Pulling) pulled(c);
        for (StageEvent e : s.events()) record(c, e);
        enter(c, s.next(), s.from());
        if (!s.repeatEvery().isZero() && !s.events().isEmpty()) repeat(c, s);
        markDirty();
        if (c.step == Step.Done) {
            containerDone(c);
        } else if (c.step != Step.Running) {
            advance(c);
        }
    }

    /** A pull is over: its own time, and the time since "Pulling image" (its wait for the node's puller included). */
    private void pulled(ContainerRecord c) {
        Instant now = now();
        c.pullDuration = Duration.between(c.pullBegan != null ? c.pullBegan : c.pullStarted, now);
        c.pullDurationWithWaiting = Duration.between(c.pullStarted, now);
        c.pullBegan = null;
        c.pullStarted = null;
    }

    /** Records the stage's events again every {@code repeatEvery} while the container stays where it led. */
    private void repeat(ContainerRecord c, Stage s) {
        c.repeatTimer = kubelet.after(s.repeatEvery(), () -> {
            c.repeatTimer = null;
            if (c.step != s.next() || terminating || gone || !kubelet.isRunning()) return;
            for (StageEvent e : s.events()) record(c, e);
            repeat(c, s);
        });
    }

    /** What entering a step means for the container (the kubelet's part, fixed). */
    private void enter(ContainerRecord c, Step next, Step from) {
        Instant now = now();
        c.step = next;
        switch (next) {
            case Pull -> {
                c.waitingReason = null;
                c.waitingMessage = null;
                if ((from == Step.Exited || from == Step.CrashBackOff) && c.current != null) c.crashBackOff.next(c.current.finishedAt());
            }
            case Pulling -> c.pullStarted = now;
            case PullFailed -> {
                c.pullBackOff.next(now);
                c.waitingReason = "ErrImagePull";
                c.waitingMessage = c.image.pullError();
            }
            case PullBackOff -> {
                c.waitingReason = "ImagePullBackOff";
                c.waitingMessage = "Back-off pulling image \"" + c.spec().path("image").asText() + "\"";
            }
            case PullNever -> {
                c.waitingReason = "ErrImageNeverPull";
                c.waitingMessage = "Container image \"" + c.spec().path("image").asText() + "\" is not present with pull policy of Never";
            }
            case Create -> {
                c.waitingReason = null;
                c.waitingMessage = null;
                if (from == Step.Pulling) kubelet.images.add(c.image);
            }
            case Start -> c.containerId = "containerd://" + kubelet.newContainerId();
            case Running -> startProcess(c, now);
            case CrashBackOff -> {
                c.waitingReason = "CrashLoopBackOff";
                c.waitingMessage = "back-off " + Durations.format(c.crashBackOff.current()) + " restarting failed container="
                        + c.name + " pod=" + podRef();
            }
            case Done, Exited -> {
                c.waitingReason = null;
                c.waitingMessage = null;
            }
            default -> {
            }
        }
    }

    private Duration backOffLeft(ContainerRecord c) {
        return switch (c.step) {
            case PullBackOff -> c.pullBackOff.remaining(c.pullBackOff.lastUpdate(), now());
            case CrashBackOff -> c.current == null ? Duration.ZERO : c.crashBackOff.remaining(c.current.finishedAt(), now());
            default -> Duration.ZERO;
        };
    }

    // ---------------------------------------------------------------- processes

    private void startProcess(ContainerRecord c, Instant now) {
        if (c.hasRun) c.restartCount++;
        c.hasRun = true;
        c.startedAt = now;
        c.process = start(c);
        kubelet.context.processes().started(c.containerId, uid, c.name, now, c.process);
        c.started = false;
        c.ready = false;
        c.probeSuccesses = 0;
        c.readinessFailures = 0;
        c.livenessFailures = 0;
        c.startupFailures = 0;
        if (c.process.exits()) scheduleExit(c, now.plus(runTime(c)), c.process.exitCode());
        else c.exitsAt = null;
        LiveProcess live = live(c.containerId);
        if (live != null && !live.readsStdin()) {
            if (foundRunning && c.init) scheduleExit(c, now, 0); // it ran, and succeeded, before the kubelet looked
            else startLive(c, live);
        }
        startProbes(c);
    }

    /**
     * What the container's process does: its image's plan for its command line (after the kubelet's {@code $(VAR)}
     * expansion), or a process run as it goes (a script, one reading its stdin).
     */
    private Timeline start(ContainerRecord c) {
        ObjectNode spec = c.spec();
        List<String> command = strings(spec.path("command"));
        List<String> args = strings(spec.path("args"));
        if (String.join("", command).contains("$(") || String.join("", args).contains("$(")) {
            java.util.Map<String, String> env = kubelet.context.containers().environment(podAsStarted(), spec, c.startedAt);
            command = command.stream().map(v -> ContainerEnvironment.expand(v, env)).toList();
            args = args.stream().map(v -> ContainerEnvironment.expand(v, env)).toList();
        }
        return c.image.start(command, args, spec.path("stdin").asBoolean(false), spec.path("stdinOnce").asBoolean(false),
                spec.path("tty").asBoolean(false));
    }

    /**
     * The pod as the kubelet knows it when it starts a container: the sandbox's address and the node's are its
     * status's, whether or not the status the API shows has them yet (the downward API's status.podIP, /etc/hosts).
     */
    private JsonNode podAsStarted() {
        ObjectNode pod = pod();
        String hostIp = kubelet.node.internalIp();
        JsonNode status = pod.path("status");
        if (podIp == null || status.path("podIP").asText("").equals(podIp) && status.path("hostIP").asText("").equals(hostIp)) {
            return pod;
        }
        ObjectNode copy = pod.deepCopy(); // the informer's tree is shared: only read
        ObjectNode st = copy.putObject("status");
        if (status.isObject()) st.setAll(((ObjectNode) status).deepCopy());
        st.put("hostIP", hostIp);
        st.putArray("hostIPs").addObject().put("ip", hostIp);
        st.put("podIP", podIp);
        st.putArray("podIPs").addObject().put("ip", podIp);
        return copy;
    }

    /** The run's process that runs as it goes, or null (a planned one, or a run gone). */
    private LiveProcess live(String containerId) {
        return kubelet.context.processes().get(containerId).map(ContainerProcess::live).orElse(null);
    }

    /** Starts the run's script on the kubelet's clock, in the container as its processes see it; its exit ends the run. */
    private void startLive(ContainerRecord c, LiveProcess live) {
        String id = c.containerId;
        String container = c.name;
        ExecProcess.Container inside = kubelet.context.containers().container(kubelet.node.name(), podAsStarted(), c.spec(),
                c.image, id, c.startedAt);
        live.start(inside, clockTimer(), kubelet.context.runtime().clock(),
                code -> kubelet.mainProcessExited(uid, container, id, code));
    }

    /** The kubelet's clock as a process's timer: its tasks run on the kubelet's lane. */
    private ExecProcess.Timer clockTimer() {
        return new ExecProcess.Timer() {
            @Override
            public Runnable after(Duration delay, Runnable task) {
                Cancellable timer = kubelet.after(delay, task);
                return timer::cancel;
            }

            @Override
            public Instant now() {
                return kubelet.now();
            }
        };
    }

    /** The run's process, if it runs as it goes, is killed (the run ended, or its pod went). */
    private void killLive(String containerId) {
        LiveProcess live = containerId == null ? null : live(containerId);
        if (live != null) live.kill();
    }

    /**
     * How long the container's process runs before it exits as its image says. The init containers of a pod found
     * running finished before the kubelet looked (the node has been up a while): they end at once, with their exit code.
     */
    private Duration runTime(ContainerRecord c) {
        return foundRunning && c.init ? Duration.ZERO : c.process.exitAfter();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private void scheduleExit(ContainerRecord c, Instant at, int code) {
        if (c.exitTimer != null) c.exitTimer.cancel();
        c.exitsAt = at;
        c.exitCode = code;
        kubelet.context.processes().ending(c.containerId, at, code);
        c.exitTimer = kubelet.after(Duration.between(now(), at), () -> {
            c.exitTimer = null;
            if (c.running() && !gone) exited(c, at, code);
        });
    }

    /** The container's process ended: terminated state, then the stages decide (restart, back-off, done). */
    private void exited(ContainerRecord c, Instant at, int code) {
        c.cancelAllTimers();
        killLive(c.containerId);
        kubelet.context.processes().ending(c.containerId, at, code);
        // the runtime keeps a container's last two runs: the one before the previous goes
        if (c.previous != null) kubelet.context.processes().removed(c.previous.containerId());
        c.previous = c.current;
        c.current = new ContainerRecord.Terminated(code, ContainerRecord.reasonFor(code), c.startedAt, at, c.containerId);
        c.process = null;
        c.exitsAt = null;
        c.started = false;
        c.ready = false;
        c.step = Step.Exited;
        markDirty();
        if (terminating) {
            checkTerminated();
            return;
        }
        advance(c);
    }

    /** A container that will not run again: the next init container's turn, or the pod may be finished. */
    private void containerDone(ContainerRecord c) {
        if (c.init && c.current != null && c.current.exitCode() == 0) {
            nextTurn();
            return;
        }
        String phase = phase();
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            // the pod has ended: the kubelet tears its sandbox down (its IP goes back to Calico)
            terminal = true;
            for (ContainerRecord other : all()) other.cancelAllTimers();
            if (podTimer != null) podTimer.cancel();
            releaseSandbox();
            markDirty();
        }
    }

    // ---------------------------------------------------------------- signals from inside the container

    /**
     * SIGTERM sent to the container's PID 1 from inside it ({@code kill 1} in an exec shell): the process takes it as
     * its image says (nginx shuts down and exits 0; a shell or sleep as PID 1 has no handler, and the kernel ignores
     * it for an init process); when it exits, the kubelet restarts the container as for any exit.
     */
    void signalMainProcess(String container, String containerId) {
        for (ContainerRecord c : all()) {
            if (!c.name.equals(container) || !c.running() || !containerId.equals(c.containerId)) continue;
            LiveProcess live = live(c.containerId);
            if (live != null && live.signal("TERM")) return; // its script traps it: what the trap does, it does
            Behaviour.Termination onTerm = c.process.onTerm();
            if (onTerm.ignore()) return;
            Instant at = now().plus(onTerm.after());
            if (c.exitsAt == null || at.isBefore(c.exitsAt)) scheduleExit(c, at, onTerm.exitCode());
        }
    }

    /**
     * The container's process, reading its stdin, exited with {@code code} (a shell's {@code exit}, or the end of its
     * input): the container ends as for a planned exit.
     */
    void mainProcessExited(String container, String containerId, int code) {
        for (ContainerRecord c : all()) {
            if (!c.name.equals(container) || !c.running() || !containerId.equals(c.containerId)) continue;
            Instant at = now();
            if (c.exitsAt == null || at.isBefore(c.exitsAt)) scheduleExit(c, at, code);
        }
    }

    // ---------------------------------------------------------------- termination

    /** The pod was deleted (deletionTimestamp): stop its containers, then delete it for good. */
    private void beginTermination() {
        terminating = true;
        if (podTimer != null) podTimer.cancel();
        for (ContainerRecord c : all()) {
            c.cancelStageTimers();
            c.cancelProbes();
            if (c.running()) kill(c, null);
        }
        checkTerminated();
    }

    /** Stops a running container: SIGTERM (its image's behaviour says how it takes it), SIGKILL when the grace ends. */
    private void kill(ContainerRecord c, String message) {
        kubelet.recorder.event(reference(c), EventRecorder.NORMAL, "Killing",
                message != null ? message : "Stopping container " + c.name);
        c.cancelProbes();
        long grace = Math.max(MINIMUM_GRACE_SECONDS, gracePeriodSeconds());
        Instant now = now();
        Behaviour.Termination onTerm = c.process.onTerm();
        Instant at;
        int code;
        if (onTerm.ignore() || onTerm.after().compareTo(Duration.ofSeconds(grace)) > 0) {
            at = now.plusSeconds(grace);
            code = 137;
        } else {
            at = now.plus(onTerm.after());
            code = onTerm.exitCode();
        }
        if (c.exitsAt != null && c.exitsAt.isBefore(at)) {
            at = c.exitsAt;
            code = c.exitCode;
        }
        scheduleExit(c, at, code);
        // a script that traps SIGTERM (trap 'exit 0' TERM) may end before the grace period: its exit comes sooner
        LiveProcess live = live(c.containerId);
        if (live != null) live.signal("TERM");
    }

    /** The grace a kill gets: the deletion's, else the pod's terminationGracePeriodSeconds (30 s by default). */
    private long gracePeriodSeconds() {
        JsonNode meta = pod().path("metadata");
        if (terminating && meta.has("deletionGracePeriodSeconds")) return meta.path("deletionGracePeriodSeconds").asLong();
        return pod().path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    private void checkTerminated() {
        for (ContainerRecord c : all()) if (c.running()) return;
        finishTermination();
    }

    /** Every container has stopped: the final status, the sandbox torn down, and the pod deleted with grace 0. */
    private void finishTermination() {
        terminal = true;
        releaseSandbox();
        if (isStatic()) return;
        removeProcesses();
        writeStatus(true);
        try {
            kubelet.client.resource("", "pods").delete(namespace, name, new DeleteOptions(0L, uid, null, null, false));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) throw e;
        }
        gone = true;
        kubelet.workerDone(this);
    }

    // ---------------------------------------------------------------- probes

    private JsonNode probe(ContainerRecord c, int kind) {
        return c.spec().path(switch (kind) {
            case STARTUP -> "startupProbe";
            case READINESS -> "readinessProbe";
            default -> "livenessProbe";
        });
    }

    private void startProbes(ContainerRecord c) {
        if (!c.running()) return;
        if (probe(c, STARTUP).isObject() && !c.started) {
            scheduleProbe(c, STARTUP, initialDelay(c, STARTUP));
            return;
        }
        c.started = true;
        if (probe(c, READINESS).isObject()) {
            if (!c.ready) scheduleProbe(c, READINESS, initialDelay(c, READINESS));
        } else {
            c.ready = true;
        }
        if (probe(c, LIVENESS).isObject()) scheduleProbe(c, LIVENESS, initialDelay(c, LIVENESS));
        markDirty();
    }

    /** The time until the probe's first run: its initialDelaySeconds after the start (none for a pod found running). */
    private Duration initialDelay(ContainerRecord c, int kind) {
        if (foundRunning) return Duration.ZERO;
        Duration delay = Duration.ofSeconds(probe(c, kind).path("initialDelaySeconds").asLong(0));
        Duration left = delay.minus(Duration.between(c.startedAt, now()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void scheduleProbe(ContainerRecord c, int kind, Duration delay) {
        if (c.probeTimers[kind] != null) c.probeTimers[kind].cancel();
        c.probeTimers[kind] = kubelet.after(delay, () -> {
            c.probeTimers[kind] = null;
            if (c.running() && !terminating && !gone && kubelet.isRunning()) runProbe(c, kind);
        });
    }

    /**
     * One probe run: an exec probe's command runs in the container (its outcome comes when the command ends), the
     * others are answered at once by what the process serves. A network probe's outcome cannot change while the
     * process runs (it serves its ports until it ends), so one that passed and settled stops running; an exec probe's
     * can (the files it looks at change), so it runs every period; a failing one runs every period, with its Unhealthy
     * events.
     */
    private void runProbe(ContainerRecord c, int kind) {
        JsonNode probe = probe(c, kind);
        JsonNode exec = probe.get("exec");
        if (exec == null) {
            probed(c, kind, probe, probeFailure(c, probe), false);
            return;
        }
        String run = c.containerId;
        execProbe(c, probe, strings(exec.path("command")), failure -> {
            if (c.running() && run.equals(c.containerId) && !terminating && !gone && kubelet.isRunning()) {
                probed(c, kind, probe, failure, true);
            }
        });
    }

    /** What the kubelet does with a probe's outcome ({@code failure} null: it passed); {@code again}: it may change. */
    private void probed(ContainerRecord c, int kind, JsonNode probe, String failure, boolean again) {
        Duration period = Duration.ofSeconds(Math.max(1, probe.path("periodSeconds").asLong(10)));
        int failureThreshold = Math.max(1, probe.path("failureThreshold").asInt(3));
        int successThreshold = Math.max(1, probe.path("successThreshold").asInt(1));
        String what = switch (kind) {
            case STARTUP -> "Startup";
            case READINESS -> "Readiness";
            default -> "Liveness";
        };
        if (failure == null) {
            if (kind == STARTUP) {
                c.started = true;
                startProbes(c);
                return;
            }
            if (kind == READINESS) {
                c.readinessFailures = 0;
                if (++c.probeSuccesses >= successThreshold && !c.ready) {
                    c.ready = true;
                    markDirty();
                } else if (!c.ready) {
                    scheduleProbe(c, kind, period);
                    return;
                }
            } else {
                c.livenessFailures = 0;
            }
            if (again) scheduleProbe(c, kind, period);
            return;
        }
        kubelet.recorder.event(reference(c), EventRecorder.WARNING, "Unhealthy", what + " probe failed: " + failure);
        switch (kind) {
            case STARTUP -> {
                if (++c.startupFailures >= failureThreshold) {
                    kill(c, "Container " + c.name + " failed startup probe, will be restarted");
                    return;
                }
            }
            case READINESS -> {
                c.probeSuccesses = 0;
                if (++c.readinessFailures >= failureThreshold && c.ready) {
                    c.ready = false;
                    markDirty();
                }
            }
            default -> {
                if (++c.livenessFailures >= failureThreshold) {
                    kill(c, "Container " + c.name + " failed liveness probe, will be restarted");
                    return;
                }
            }
        }
        scheduleProbe(c, kind, period);
    }

    /**
     * An exec probe's command run in the container, as the runtime's ExecSync runs it: {@code result} gets null when
     * it exits 0, else what it wrote (stdout and stderr, as written), or the runtime's error when it cannot start, or
     * the timeout's message when it runs longer than the probe's timeoutSeconds (it is killed then).
     */
    private void execProbe(ContainerRecord c, JsonNode probe, List<String> argv, java.util.function.Consumer<String> result) {
        if (argv.isEmpty()) {
            result.accept(null);
            return;
        }
        Duration timeout = Duration.ofSeconds(Math.max(1, probe.path("timeoutSeconds").asLong(1)));
        String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        Behaviour own = c.image.programs().get(program);
        if (own != null) { // a program of the catalogue (calico-node -felix-ready): planned, no process to start
            Timeline t = own.timeline();
            if (!t.exits() || t.exitAfter().compareTo(timeout) > 0) {
                result.accept("command \"" + String.join(" ", argv) + "\" timed out");
            } else {
                StringBuilder written = new StringBuilder();
                t.output().forEach(line -> written.append(line.text()).append('\n'));
                result.accept(t.exitCode() == 0 ? null : written.toString());
            }
            return;
        }
        ExecProcess.Container inside = kubelet.context.containers().container(kubelet.node.name(), podAsStarted(), c.spec(),
                c.image, c.containerId, c.startedAt);
        StringBuilder output = new StringBuilder();
        boolean[] done = {false};
        Cancellable[] deadline = {null};
        java.util.function.Consumer<String> finish = failure -> {
            if (done[0]) return;
            done[0] = true;
            if (deadline[0] != null) deadline[0].cancel();
            result.accept(failure);
        };
        ExecProcess process = ExecProcess.start(inside, argv, false, false, new ExecProcess.Io() {
            @Override
            public void stdout(String text) {
                output.append(text);
            }

            @Override
            public void stdoutBytes(byte[] data) {
                output.append(new String(data, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void stderr(String text) {
                output.append(text);
            }

            @Override
            public void exited(int code) {
                finish.accept(code == 0 ? null : output.toString());
            }

            @Override
            public void failed(String message) { // containerd's error, as ExecSync gives it to the prober
                int runtime = message.indexOf("OCI runtime exec failed");
                finish.accept(runtime < 0 ? message : message.substring(runtime));
            }
        }, clockTimer(), now());
        if (done[0]) return;
        deadline[0] = kubelet.after(timeout, () -> {
            if (done[0]) return;
            finish.accept("command \"" + String.join(" ", argv) + "\" timed out");
            process.containerEnded();
        });
    }

    /** Why a network probe fails, as the kubelet's prober says it, or null when it passes. */
    private String probeFailure(ContainerRecord c, JsonNode probe) {
        JsonNode action;
        String kind;
        if ((action = probe.get("httpGet")) != null) kind = "http";
        else if ((action = probe.get("tcpSocket")) != null) kind = "tcp";
        else if ((action = probe.get("grpc")) != null) kind = "grpc";
        else return null; // no action: nothing to fail
        int port = resolvePort(c, action.path("port"));
        if (port > 0 && c.process != null && c.process.serves(port)) return null;
        String host = action.path("host").asText("");
        if (host.isEmpty()) host = podIp == null ? "" : podIp;
        String address = host + ":" + (port > 0 ? port : action.path("port").asText());
        return switch (kind) {
            case "http" -> {
                String path = action.path("path").asText("");
                if (!path.startsWith("/")) path = "/" + path;
                String scheme = action.path("scheme").asText("HTTP").toLowerCase(java.util.Locale.ROOT);
                yield "Get \"" + scheme + "://" + address + path + "\": dial tcp " + address + ": connect: connection refused";
            }
            case "tcp" -> "dial tcp " + address + ": connect: connection refused";
            default -> "timeout: failed to connect service \"" + address + "\" within 1s: context deadline exceeded";
        };
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    private static int resolvePort(ContainerRecord c, JsonNode port) {
        if (port.isInt()) return port.asInt();
        String text = port.asText("");
        if (text.matches("\\d+")) return Integer.parseInt(text);
        for (JsonNode p : c.spec().path("ports")) {
            if (p.path("name").asText().equals(text)) return p.path("containerPort").asInt();
        }
        return -1;
    }

    // ---------------------------------------------------------------- facts, events

    private String podFact(String key) {
        return switch (key) {
            case "pod.name" -> name;
            case "pod.namespace" -> namespace;
            case "pod.restartPolicy" -> restartPolicy;
            case "pod.hostNetwork" -> Boolean.toString(hostNetwork());
            case "pod.foundRunning" -> Boolean.toString(foundRunning);
            case "pod.static" -> Boolean.toString(isStatic());
            case "node.name" -> kubelet.node.name();
            default -> {
                if (key.startsWith("pod.labels.")) yield text(pod().path("metadata").path("labels").get(key.substring("pod.labels.".length())));
                if (key.startsWith("pod.annotations.")) yield text(pod().path("metadata").path("annotations").get(key.substring("pod.annotations.".length())));
                yield null;
            }
        };
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private String containerFact(ContainerRecord c, String key) {
        return switch (key) {
            case "container.name" -> c.name;
            case "container.init" -> Boolean.toString(c.init);
            case "container.restartCount" -> Integer.toString(c.restartCount);
            case "image" -> c.spec().path("image").asText();
            case "image.reference" -> c.image.reference().normalized();
            case "image.exists" -> Boolean.toString(c.image.exists());
            case "image.present" -> Boolean.toString(kubelet.images.present(c.image));
            case "image.size" -> Long.toString(c.image.size());
            case "pullPolicy" -> c.spec().path("imagePullPolicy").asText(c.image.reference().tag().equals("latest") ? "Always" : "IfNotPresent");
            case "exitCode" -> c.current == null || c.step != Step.Exited ? null : Integer.toString(c.current.exitCode());
            case "restart" -> c.step != Step.Exited || c.current == null ? null : Boolean.toString(restarts(c));
            case "backOff.pending" -> c.step != Step.Exited || c.current == null ? null
                    : Boolean.toString(c.crashBackOff.inBackOffSince(c.current.finishedAt(), now()));
            default -> podFact(key);
        };
    }

    /** Whether the restart policy restarts an exited container (an init container only after a failure, an ephemeral one never). */
    private boolean restarts(ContainerRecord c) {
        if (c.ephemeral) return false;
        String policy = restartPolicy;
        int code = c.current.exitCode();
        if (c.init) return code != 0 && !policy.equals("Never");
        return switch (policy) {
            case "Always" -> true;
            case "OnFailure" -> code != 0;
            default -> false;
        };
    }

    /** The pod as the kubelet names it in messages: {@code name_namespace(uid)}. */
    private String podRef() {
        return name + "_" + namespace + "(" + uid + ")";
    }

    private void record(ContainerRecord c, StageEvent e) {
        Function<String, String> values = v -> switch (v) {
            case "image" -> c == null ? "" : c.spec().path("image").asText();
            case "reference" -> c == null ? "" : c.image.reference().normalized();
            case "container" -> c == null ? "" : c.name;
            case "pod" -> podRef();
            case "pullDuration" -> c == null ? "" : Durations.format(Durations.truncate(c.pullDuration, Duration.ofMillis(1)));
            case "pullDurationWithWaiting" -> c == null ? "" : Durations.format(Durations.truncate(c.pullDurationWithWaiting, Duration.ofMillis(1)));
            case "imageSize" -> c == null ? "" : Long.toString(c.image.size());
            case "pullError" -> c == null ? "" : c.image.pullError();
            case "backOff" -> c == null ? "" : Durations.format(c.step == Step.PullBackOff || c.step == Step.PullFailed
                    ? c.pullBackOff.current() : c.crashBackOff.current());
            case "exitCode" -> c == null || c.current == null ? "" : Integer.toString(c.current.exitCode());
            case "node" -> kubelet.node.name();
            default -> "";
        };
        kubelet.recorder.event(reference(c), e.type(), e.reason(), e.message().fill(values));
    }

    /** The object events are about: the pod (a static pod: its file's uid), or one of its containers. */
    private ObjectReference reference(ContainerRecord c) {
        // the revision's own number: no parse of the pod (inflated again once the store packed it)
        String rv = isStatic() ? "" : Long.toString(stored.resourceVersion());
        ObjectReference ref = new ObjectReference("Pod", namespace, name, uid, "v1", rv, "");
        return c == null ? ref : ref.withFieldPath(c.fieldPath());
    }

    // ---------------------------------------------------------------- status

    private String phase() {
        return PodStatusBuilder.build(input(false), Json.MAPPER.createObjectNode()).path("phase").asText();
    }

    private PodStatusBuilder.Input input(boolean podIsTerminal) {
        return new PodStatusBuilder.Input(pod(), initContainers, containers, ephemeralContainers, kubelet.node.internalIp(),
                podIp, startTime, sandboxReady, podIsTerminal, now());
    }

    /** Steps a container passes through within one sync of the real kubelet (SyncPod pulls, creates, starts). */
    private static final EnumSet<Step> WITHIN_SYNC = EnumSet.of(Step.Pull, Step.Pulling, Step.Create, Step.Start);

    /**
     * Whether the pod is amid what the real kubelet does in one sync: SyncPod creates the sandbox, then pulls, creates
     * and starts each container in turn, and its status manager writes the status the sync started from and then the
     * one the next sync finds (Running, or a failure), not every step between.
     */
    private boolean midSync() {
        if (terminating || terminal) return false;
        if (podTimer != null && podStep == Step.Admitted) return true;
        for (ContainerRecord c : initContainers) if (c.stageTimer != null && WITHIN_SYNC.contains(c.step)) return true;
        for (ContainerRecord c : containers) if (c.stageTimer != null && WITHIN_SYNC.contains(c.step)) return true;
        return false;
    }

    private void markDirty() {
        markDirty(false);
    }

    /**
     * Marks the status as changed: it is written once the lane is through with what it is doing, unless the pod is
     * amid a sync's steps (then the step that ends them marks it again); {@code syncStart}: the status a sync starts
     * from, written anyway (a pod admitted, a kubelet started again).
     */
    private void markDirty(boolean syncStart) {
        if (syncStart) writeAtSyncStart = true;
        if (statusQueued || gone) return;
        statusQueued = true;
        kubelet.lane.execute(() -> {
            statusQueued = false;
            boolean force = writeAtSyncStart;
            writeAtSyncStart = false;
            if (gone || !kubelet.isRunning() || (!force && midSync())) return;
            writeStatus(false);
        });
    }

    private void writeStatus(boolean podIsTerminal) {
        String targetName = name;
        String targetUid = isStatic() ? mirrorUid : uid;
        if (targetUid == null) return;
        PodStatusBuilder.Input in = input(podIsTerminal);
        // what the informer last showed of the pod already says this: no write (the kubelet's status manager also
        // writes only what changed)
        ObjectNode builtOnShown = null;
        long shownRevision = -1;
        if (!isStatic() && !podIsTerminal && stored != null) {
            // the revision's shared tree: the status built from it is compared, and written only as a copy
            JsonNode shown = stored.tree().path("status");
            builtOnShown = PodStatusBuilder.build(in, shown);
            if (builtOnShown.equals(shown)) return;
            shownRevision = stored.resourceVersion();
        }
        ObjectNode prebuilt = builtOnShown;
        long prebuiltRevision = shownRevision;
        try {
            kubelet.client.resource("", "pods").patchStatus(namespace, targetName, current -> {
                if (!Json.text(Json.metadata(current), "uid").equals(targetUid)) return null;
                // on the revision the informer showed (the usual case) the status is the one built above: the same
                // input on the same old status; it may share nodes with that revision's tree, hence the copy
                boolean sameRevision = prebuilt != null
                        && Json.text(Json.metadata(current), "resourceVersion").equals(Long.toString(prebuiltRevision));
                current.set("status", sameRevision ? prebuilt.deepCopy() : PodStatusBuilder.build(in, current.path("status")));
                return current;
            });
        } catch (StatusException e) {
            if (e.code() != 404) LOG.warn("pod {}/{}: status not written: {}", namespace, name, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- mirror pods (static pods only)

    /** Creates the static pod's mirror pod when it is missing (mirror_client.go's CreateMirrorPod). */
    void ensureMirror() {
        if (!isStatic() || !kubelet.isRunning()) return;
        var pods = kubelet.client.resource("", "pods");
        var existing = pods.find(namespace, name);
        if (existing.isPresent()) {
            ObjectNode mirror = existing.get().toNode();
            String hash = Json.metadata(mirror).path("annotations").path(StaticPods.MIRROR_ANNOTATION).asText("");
            if (hash.equals(staticPod.hash()) && !Json.metadata(mirror).hasNonNull("deletionTimestamp")) {
                mirrorUid = Json.text(Json.metadata(mirror), "uid");
                markDirty();
                return;
            }
            // an outdated or deleted mirror: the kubelet deletes it and makes a new one
            deleteMirror(Json.text(Json.metadata(mirror), "uid"));
        }
        try {
            ObjectNode created = pods.create(staticPod.mirrorPod(kubelet.node.name(), kubelet.nodeUid())).toNode();
            mirrorUid = Json.text(Json.metadata(created), "uid");
            markDirty();
        } catch (StatusException e) {
            if (e.code() != 409) LOG.warn("mirror pod {}/{} not created: {}", namespace, name, e.getMessage());
        }
    }

    private void deleteMirror(String mirror) {
        try {
            kubelet.client.resource("", "pods").delete(namespace, name, new DeleteOptions(0L, mirror, null, null, false));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) throw e;
        }
        if (mirror.equals(mirrorUid)) mirrorUid = null;
    }

    /** The mirror pod changed: a deleted mirror (kubectl delete pod etcd-m-k8s) is replaced, the static pod runs on. */
    void mirrorChanged(ObjectNode mirror) {
        if (Json.metadata(mirror).hasNonNull("deletionTimestamp")) {
            deleteMirror(Json.text(Json.metadata(mirror), "uid"));
        } else if (mirrorUid == null) {
            ensureMirror();
        }
    }

    void mirrorDeleted(String deletedUid) {
        if (deletedUid.equals(mirrorUid)) mirrorUid = null;
        ensureMirror();
    }

    @Override
    public String toString() {
        return "PodWorker[" + namespace + "/" + name + " " + podStep + "]";
    }
}
