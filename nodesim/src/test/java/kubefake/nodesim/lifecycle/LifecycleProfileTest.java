package kubefake.nodesim.lifecycle;

import kubefake.nodesim.NodeSimCluster;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.runtime.ImageCatalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped profiles, and a user's. */
class LifecycleProfileTest {

    @Test
    void theShippedProfilesLoad() {
        LifecycleProfile lab = LifecycleProfile.shipped("lab");
        assertEquals("lab", lab.name());
        assertEquals(Duration.ofSeconds(10), lab.crashLoopBackOff().initial());
        assertEquals(Duration.ofMinutes(5), lab.crashLoopBackOff().max());
        assertEquals(java.util.Set.of("kube-system"), lab.foundRunning().namespaces());
        LifecycleProfile fast = LifecycleProfile.shipped("fast");
        assertEquals("fast", fast.name());
        assertEquals(lab.stages().size(), fast.stages().size(), "the same stages, other delays");
        // a pull of nginx (72 MB) in the lab takes seconds, in fast a few milliseconds
        Stage labPull = lab.stageFrom(Step.Pulling, Map.of("image.exists", "true", "image.present", "false")::get).orElseThrow();
        Duration labDelay = labPull.delay().of(new SplittableRandom(1), 72188133, Duration.ZERO);
        assertTrue(labDelay.compareTo(Duration.ofSeconds(1)) > 0 && labDelay.compareTo(Duration.ofSeconds(3)) < 0, labDelay.toString());
        Stage fastPull = fast.stageFrom(Step.Pulling, Map.of("image.exists", "true", "image.present", "false")::get).orElseThrow();
        assertTrue(fastPull.delay().of(new SplittableRandom(1), 72188133, Duration.ZERO).toMillis() < 5);
        assertEquals("Pulled", labPull.events().get(0).reason());
    }

    @Test
    void selectorsPickTheFirstMatchingStage() {
        LifecycleProfile lab = LifecycleProfile.shipped("lab");
        assertEquals("image-present", lab.stageFrom(Step.Pull, Map.of("image.present", "true", "pullPolicy", "IfNotPresent")::get).orElseThrow().name());
        assertEquals("pull", lab.stageFrom(Step.Pull, Map.of("image.present", "true", "pullPolicy", "Always")::get).orElseThrow().name());
        assertEquals("image-never-pulled", lab.stageFrom(Step.Pull, Map.of("image.present", "false", "pullPolicy", "Never")::get).orElseThrow().name());
        assertEquals("crash-loop", lab.stageFrom(Step.Exited, Map.of("restart", "true", "backOff.pending", "true")::get).orElseThrow().name());
        assertEquals("finished", lab.stageFrom(Step.Exited, Map.of("restart", "false")::get).orElseThrow().name());
        assertTrue(lab.stageFrom(Step.Running, Map.<String, String>of()::get).isEmpty(), "a running container moves when its process ends");
    }

    @Test
    void aUsersProfileDrivesThePods(@TempDir Path dir) throws IOException {
        String lab = new String(LifecycleProfile.class.getResourceAsStream("/kubefake/nodesim/profiles/lab.yaml").readAllBytes());
        // a user's copy of the lab profile with one more stage first: pods labelled speed=slow pull for 30 s
        String mine = lab.replace("name: lab", "name: mine").replace("  stages:\n", """
                  stages:
                    - name: slow-pull
                      from: Pulling
                      selector:
                        matchExpressions:
                          - {key: pod.labels.speed, operator: In, values: [slow]}
                      delay: {duration: 30s}
                      next: Create
                      events:
                        - {type: Normal, reason: Pulled, message: 'Slowly pulled image "{{image}}" in {{pullDuration}}'}
                """);
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, mine);
        LifecycleProfile profile = LifecycleProfile.load(file);
        assertEquals("mine", profile.name());
        try (NodeSimCluster cluster = new NodeSimCluster(ClusterShape.lab(), profile, ImageCatalogue.builtIn(), List.of())) {
            cluster.create("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: slow, namespace: default, labels: {speed: slow}}
                    spec:
                      nodeName: w1-k8s
                      containers: [{name: c, image: nginx}]
                    """);
            Instant created = cluster.runtime.clock().instant();
            cluster.advanceUntil(() -> cluster.pod("default", "slow").path("status").path("phase").asText().equals("Running"), Duration.ofSeconds(40));
            assertTrue(Duration.between(created, cluster.runtime.clock().instant()).toSeconds() >= 30);
            assertTrue(cluster.events("default", "slow").contains("Normal Pulled Slowly pulled image \"nginx\" in 30s"),
                    cluster.events("default", "slow")::toString);
        }
    }

    @Test
    void mistakesInAProfileAreRefusedWithTheirPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                apiVersion: kubefake.dev/v1alpha1
                kind: LifecycleProfile
                metadata: {name: bad}
                spec:
                  crashLoopBackOff: {initial: 10s, max: 5m}
                  imagePullBackOff: {initial: 10s, max: 5m}
                  stages:
                    - name: typo
                      from: Pulling
                      selector:
                        matchExpressions: [{key: image.exist, operator: In, values: ["true"]}]
                      next: Create
                """);
        IOException e = assertThrows(IOException.class, () -> LifecycleProfile.load(file));
        assertTrue(e.getMessage().contains("unknown fact: image.exist"), e.getMessage());
        Files.writeString(file, Files.readString(file).replace("image.exist,", "image.exists,").replace("next: Create", "next: SandboxReady"));
        e = assertThrows(IOException.class, () -> LifecycleProfile.load(file));
        assertTrue(e.getMessage().contains("Pulling is a CONTAINER step, SandboxReady a POD step"), e.getMessage());
        Files.writeString(file, Files.readString(file).replace("next: SandboxReady", "next: Create\n      events: [{type: Normal, reason: X, message: '{{imag}}'}]"));
        e = assertThrows(IOException.class, () -> LifecycleProfile.load(file));
        assertTrue(e.getMessage().contains("unknown value {{imag}}"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LifecycleProfile.shipped("slow"));
    }
}
