package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The course's Volumes chapter with static NFS volumes: a PersistentVolume and a claim are bound by the controller
 * manager (both {@code Bound}, annotated, the claim's capacity the volume's), a claim nothing satisfies stays
 * {@code Pending} with the real event, a claim still used by a pod stays {@code Terminating} after its deletion
 * until the pod is gone (pvc-protection), and its Retain volume is then {@code Released}.
 */
class PersistentVolumesE2ETest {

    private static void apply(Kubectl k, String ns, Path tmp, String yaml) throws Exception {
        Path file = Files.createTempFile(tmp, "obj", ".yaml");
        Files.writeString(file, yaml);
        Kubectl.ok(k.run("-n", ns, "apply", "-f", file.toString()));
    }

    private static boolean has(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aClaimIsBoundToAVolumeAndProtectedWhileAPodUsesIt(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-pv-" + v.replace('.', '-');
        String pv = "pv-nfs-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        apply(k, ns, tmp, """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %s}
                spec:
                  capacity: {storage: 100Mi}
                  accessModes: [ReadWriteMany]
                  persistentVolumeReclaimPolicy: Retain
                  nfs: {server: 192.168.1.10, path: /nfs_shared}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: pvc-nfs}
                spec:
                  accessModes: [ReadWriteMany]
                  resources: {requests: {storage: 10Mi}}
                """.formatted(pv));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("Bound"), "-n", ns, "get", "pvc", "pvc-nfs", "-o", "jsonpath={.status.phase}");
        String claims = Kubectl.ok(k.run("-n", ns, "get", "pvc")).out();
        assertTrue(has("^pvc-nfs +Bound +" + pv + " +100Mi +RWX +", claims), claims);
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("Bound"), "get", "pv", pv, "-o", "jsonpath={.status.phase}");
        String volumes = Kubectl.ok(k.run("get", "pv", pv)).out();
        assertTrue(has("^" + pv + " +100Mi +RWX +Retain +Bound +" + ns + "/pvc-nfs +", volumes), volumes);
        assertEquals("yes yes " + pv, Kubectl.ok(k.run("-n", ns, "get", "pvc", "pvc-nfs", "-o",
                "jsonpath={.metadata.annotations.pv\\.kubernetes\\.io/bind-completed} "
                        + "{.metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller} {.spec.volumeName}")).out());
        assertEquals("kubernetes.io/pvc-protection", Kubectl.ok(k.run("-n", ns, "get", "pvc", "pvc-nfs", "-o",
                "jsonpath={.metadata.finalizers}")).out().replaceAll("[\\[\\]\"]", ""));

        assertEquals("kubernetes.io/pv-protection", Kubectl.ok(k.run("get", "pv", pv, "-o",
                "jsonpath={.metadata.finalizers}")).out().replaceAll("[\\[\\]\"]", ""));

        apply(k, ns, tmp, """
                apiVersion: v1
                kind: Pod
                metadata: {name: user}
                spec:
                  containers:
                  - name: nginx
                    image: nginx
                    volumeMounts: [{name: data, mountPath: /usr/share/nginx/html}]
                  volumes:
                  - name: data
                    persistentVolumeClaim: {claimName: pvc-nfs}
                """);
        Kubectl.ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/user", "--timeout=60s"));
        Kubectl.ok(k.run("-n", ns, "delete", "pvc", "pvc-nfs", "--wait=false"));
        String terminating = Kubectl.ok(k.run("-n", ns, "get", "pvc", "pvc-nfs")).out();
        assertTrue(has("^pvc-nfs +Terminating +" + pv + " +100Mi +RWX +", terminating), terminating);
        String described = Kubectl.ok(k.run("-n", ns, "describe", "pvc", "pvc-nfs")).out();
        assertTrue(has("^Used By: +user$", described), described);

        Kubectl.ok(k.run("-n", ns, "delete", "pod", "user", "--grace-period=0", "--force"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().isBlank(), "-n", ns, "get", "pvc", "-o", "name");
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("Released"), "get", "pv", pv, "-o", "jsonpath={.status.phase}");
        Kubectl.ok(k.run("delete", "pv", pv));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aClaimNothingSatisfiesStaysPending(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-pvc-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        apply(k, ns, tmp, """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: lonely}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Ti}}
                """);
        String described = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("FailedBinding"),
                "-n", ns, "describe", "pvc", "lonely").out();
        assertTrue(has("^Status: +Pending$", described), described);
        assertTrue(has("Normal +FailedBinding +\\S+ +persistentvolume-controller +no persistent volumes available for this claim "
                + "and no storage class is set$", described), described);
    }
}
