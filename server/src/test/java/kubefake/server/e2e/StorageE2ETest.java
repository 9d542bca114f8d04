package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.Test;
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
 * storage.k8s.io with kubectl: the course's StorageClass and its nfs-subdir-external-provisioner making a volume per
 * claim (and deleting it with the claim), WaitForFirstConsumer claims waiting for their pod's node, the scheduler
 * refusing pods whose claims cannot be bound yet, the default class filled in on create and retroactively, claims
 * asking for more storage, and the StorageClass's validation; the kubelets' CSINodes.
 */
class StorageE2ETest {
    private static final String NFS = "k8s-sigs.io/nfs-subdir-external-provisioner";

    private static void apply(Kubectl k, String ns, Path tmp, String yaml) throws Exception {
        Path file = Files.createTempFile(tmp, "obj", ".yaml");
        Files.writeString(file, yaml);
        Kubectl.ok(ns == null ? k.run("apply", "-f", file.toString()) : k.run("-n", ns, "apply", "-f", file.toString()));
    }

    private static boolean has(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }

    private static String namespace(Kubectl k, String prefix, String v) {
        String ns = prefix + "-" + v.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        return ns;
    }

    private static String claim(String name, String className, String mode) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: %s}
                spec:
                  accessModes: [%s]
                  resources: {requests: {storage: 10Gi}}
                %s""".formatted(name, mode, className == null ? "" : "  storageClassName: " + className + "\n");
    }

    private static String podUsing(String name, String claim) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: nginx
                    image: nginx
                    volumeMounts: [{name: data, mountPath: /usr/share/nginx/html}]
                  volumes:
                  - name: data
                    persistentVolumeClaim: {claimName: %s}
                """.formatted(name, claim);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void theCoursesProvisionerMakesAVolumeForAClaimAndDeletesItWithTheClaim(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String classes = Kubectl.ok(k.run("get", "storageclass")).out();
        assertTrue(has("^NAME +PROVISIONER +RECLAIMPOLICY +VOLUMEBINDINGMODE +ALLOWVOLUMEEXPANSION +AGE$", classes), classes);
        assertTrue(has("^managed-nfs-storage +" + Pattern.quote(NFS) + " +Delete +Immediate +false +\\d+", classes), classes);

        String ns = namespace(k, "e2e-dyn", v);
        apply(k, ns, tmp, claim("pvc-dynamic", "managed-nfs-storage", "ReadWriteMany"));
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("Bound"), "-n", ns, "get", "pvc", "pvc-dynamic",
                "-o", "jsonpath={.status.phase}");
        String uid = Kubectl.ok(k.run("-n", ns, "get", "pvc", "pvc-dynamic", "-o", "jsonpath={.metadata.uid}")).out();
        String pv = "pvc-" + uid;
        String claims = Kubectl.ok(k.run("-n", ns, "get", "pvc")).out();
        assertTrue(has("^pvc-dynamic +Bound +" + pv + " +10Gi +RWX +managed-nfs-storage +<unset> +\\d+", claims), claims);
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("Bound"), "get", "pv", pv, "-o", "jsonpath={.status.phase}");
        String volume = Kubectl.ok(k.run("get", "pv", pv)).out();
        assertTrue(has("^" + pv + " +10Gi +RWX +Delete +Bound +" + ns + "/pvc-dynamic +managed-nfs-storage +<unset> +\\d+",
                volume), volume);
        assertEquals(NFS + " 192.168.1.10 /nfs_shared/dynamic-vol/" + ns + "-pvc-dynamic", Kubectl.ok(k.run("get", "pv", pv, "-o",
                "jsonpath={.metadata.annotations.pv\\.kubernetes\\.io/provisioned-by} {.spec.nfs.server} {.spec.nfs.path}")).out());
        assertEquals(NFS + " " + NFS, Kubectl.ok(k.run("-n", ns, "get", "pvc", "pvc-dynamic", "-o",
                "jsonpath={.metadata.annotations.volume\\.kubernetes\\.io/storage-provisioner} "
                        + "{.metadata.annotations.volume\\.beta\\.kubernetes\\.io/storage-provisioner}")).out());

        String described = Kubectl.ok(k.run("-n", ns, "describe", "pvc", "pvc-dynamic")).out();
        assertTrue(has("^StorageClass: +managed-nfs-storage$", described), described);
        assertTrue(has("^Volume: +" + pv + "$", described), described);
        assertTrue(has("Normal +ExternalProvisioning +.* +persistentvolume-controller +Waiting for a volume to be created either by "
                + "the external provisioner '" + Pattern.quote(NFS) + "' or manually by the system administrator\\. If volume "
                + "creation is delayed, please verify that the provisioner is running and correctly registered\\.$", described), described);
        assertTrue(has("Normal +Provisioning +.* +" + Pattern.quote(NFS) + "_nfs-client-provisioner-[a-z0-9]+-[a-z0-9]{5}_[-0-9a-f]{36} +"
                + "External provisioner is provisioning volume for claim \"" + ns + "/pvc-dynamic\"$", described), described);
        assertTrue(has("Normal +ProvisioningSucceeded +.* +Successfully provisioned volume " + pv + "$", described), described);

        Kubectl.Result grown = k.run("-n", ns, "patch", "pvc", "pvc-dynamic", "-p", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"20Gi\"}}}}");
        assertEquals(1, grown.exitCode(), grown::toString);
        assertEquals("Error from server (Forbidden): persistentvolumeclaims \"pvc-dynamic\" is forbidden: only dynamically provisioned "
                + "pvc can be resized and the storageclass that provisions the pvc must support resize\n", grown.err());

        Kubectl.ok(k.run("-n", ns, "delete", "pvc", "pvc-dynamic"));
        k.runUntil(Duration.ofSeconds(30), r -> !r.out().contains(pv), "get", "pv", "-o", "name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aWaitForFirstConsumerClaimIsProvisionedOnItsPodsNode(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String sc = "nfs-wffc-" + v.replace('.', '-');
        apply(k, null, tmp, """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: %s}
                provisioner: %s
                volumeBindingMode: WaitForFirstConsumer
                allowVolumeExpansion: true
                """.formatted(sc, NFS));
        assertTrue(has("^" + sc + " +" + Pattern.quote(NFS) + " +Delete +WaitForFirstConsumer +true +\\d+",
                Kubectl.ok(k.run("get", "sc", sc)).out()));
        String ns = namespace(k, "e2e-wffc", v);
        apply(k, ns, tmp, claim("data", sc, "ReadWriteOnce"));
        String waiting = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("WaitForFirstConsumer"),
                "-n", ns, "describe", "pvc", "data").out();
        assertTrue(has("^Status: +Pending$", waiting), waiting);
        assertTrue(has("Normal +WaitForFirstConsumer +.* +persistentvolume-controller +waiting for first consumer to be created "
                + "before binding$", waiting), waiting);

        apply(k, ns, tmp, podUsing("web", "data"));
        Kubectl.ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/web", "--timeout=60s"));
        String node = Kubectl.ok(k.run("-n", ns, "get", "pod", "web", "-o", "jsonpath={.spec.nodeName}")).out();
        assertEquals("Bound " + node, Kubectl.ok(k.run("-n", ns, "get", "pvc", "data", "-o",
                "jsonpath={.status.phase} {.metadata.annotations.volume\\.kubernetes\\.io/selected-node}")).out());
        // its class allows expansion, but no plugin expands an NFS volume: the controller manager says so and waits
        Kubectl.ok(k.run("-n", ns, "patch", "pvc", "data", "-p", "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"20Gi\"}}}}"));
        String expanding = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("ExternalExpanding"),
                "-n", ns, "describe", "pvc", "data").out();
        assertTrue(has("Warning +ExternalExpanding +.* +volume_expand +Ignoring the PVC: didn't find a plugin capable of expanding "
                + "the volume; waiting for an external controller to process this PVC\\.$", expanding), expanding);
        assertTrue(has("^Capacity: +10Gi$", expanding), expanding);

        Kubectl.ok(k.run("-n", ns, "delete", "pod", "web", "--grace-period=0", "--force"));
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
        Kubectl.ok(k.run("delete", "sc", sc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aPodWhoseClaimCannotBeBoundYetStaysPending(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String sc = "nowhere-" + v.replace('.', '-');
        apply(k, null, tmp, """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: %s}
                provisioner: example.com/not-running
                """.formatted(sc));
        String ns = namespace(k, "e2e-unbound", v);
        apply(k, ns, tmp, claim("waits", sc, "ReadWriteOnce"));
        apply(k, ns, tmp, podUsing("stuck", "waits"));
        apply(k, ns, tmp, podUsing("orphan", "missing"));
        String stuck = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("FailedScheduling"),
                "-n", ns, "describe", "pod", "stuck").out();
        assertTrue(has("Warning +FailedScheduling +.* +default-scheduler +0/4 nodes are available: pod has unbound immediate "
                + "PersistentVolumeClaims\\. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling\\.$",
                stuck), stuck);
        String orphan = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("FailedScheduling"),
                "-n", ns, "describe", "pod", "orphan").out();
        assertTrue(has("Warning +FailedScheduling +.* +default-scheduler +0/4 nodes are available: persistentvolumeclaim "
                + "\"missing\" not found\\. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling\\.$",
                orphan), orphan);
        String pods = Kubectl.ok(k.run("-n", ns, "get", "pods")).out();
        assertTrue(has("^stuck +0/1 +Pending +0 +", pods), pods);

        // a WaitForFirstConsumer claim whose pod fits no node says which pod it waits for
        String later = "later-" + v.replace('.', '-');
        apply(k, null, tmp, """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: %s}
                provisioner: %s
                volumeBindingMode: WaitForFirstConsumer
                """.formatted(later, NFS));
        apply(k, ns, tmp, claim("later", later, "ReadWriteOnce"));
        apply(k, ns, tmp, podUsing("nowhere", "later").replace("spec:\n", "spec:\n  nodeSelector: {disk: ssd}\n"));
        String waitingFor = k.runUntil(Duration.ofSeconds(30), r -> r.out().contains("WaitForPodScheduled"),
                "-n", ns, "describe", "pvc", "later").out();
        assertTrue(has("Normal +WaitForPodScheduled +.* +persistentvolume-controller +waiting for pod nowhere to be scheduled$",
                waitingFor), waitingFor);

        String claimEvents = Kubectl.ok(k.run("-n", ns, "describe", "pvc", "waits")).out();
        assertTrue(has("Normal +ExternalProvisioning +.*external provisioner 'example\\.com/not-running'", claimEvents), claimEvents);
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
        Kubectl.ok(k.run("delete", "sc", sc, later));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aStorageClassKeepsItsProvisionerAndPolicy(String v) {
        Kubectl k = TestCluster.kubectl(v);
        Kubectl.Result changed = k.run("patch", "storageclass", "managed-nfs-storage", "--type=merge",
                "-p", "{\"provisioner\":\"example.com/other\",\"reclaimPolicy\":\"Retain\"}");
        assertEquals(1, changed.exitCode(), changed::toString);
        assertEquals("The StorageClass \"managed-nfs-storage\" is invalid: \n* provisioner: Forbidden: updates to provisioner are "
                + "forbidden.\n* reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.\n", changed.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void csiDriversAndVolumeAttachmentsAreStoredWithTheirDefaultsAndTables(String v, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String suffix = v.replace('.', '-');
        String driver = "nfs-" + suffix + ".csi.k8s.io";
        String attachment = "csi-" + suffix;
        apply(k, null, tmp, """
                apiVersion: storage.k8s.io/v1
                kind: CSIDriver
                metadata: {name: %s}
                spec: {attachRequired: false}
                ---
                apiVersion: storage.k8s.io/v1
                kind: VolumeAttachment
                metadata: {name: %s}
                spec:
                  attacher: %s
                  nodeName: w1-k8s
                  source: {persistentVolumeName: pv-%s}
                """.formatted(driver, attachment, driver, suffix));
        String drivers = Kubectl.ok(k.run("get", "csidriver", driver)).out();
        assertTrue(has("^NAME +ATTACHREQUIRED +PODINFOONMOUNT +STORAGECAPACITY +TOKENREQUESTS +REQUIRESREPUBLISH +MODES +AGE$",
                drivers), drivers);
        assertTrue(has("^" + Pattern.quote(driver) + " +false +false +false +<unset> +false +Persistent +\\d+", drivers), drivers);
        assertEquals("ReadWriteOnceWithFSType", Kubectl.ok(k.run("get", "csidriver", driver, "-o",
                "jsonpath={.spec.fsGroupPolicy}")).out());
        String attachments = Kubectl.ok(k.run("get", "volumeattachment", attachment)).out();
        assertTrue(has("^NAME +ATTACHER +PV +NODE +ATTACHED +AGE$", attachments), attachments);
        assertTrue(has("^" + attachment + " +" + Pattern.quote(driver) + " +pv-" + suffix + " +w1-k8s +false +\\d+", attachments),
                attachments);
        Kubectl.Result moved = k.run("patch", "volumeattachment", attachment, "--type=merge", "-p", "{\"spec\":{\"nodeName\":\"w2-k8s\"}}");
        assertEquals(1, moved.exitCode(), moved::toString);
        assertTrue(moved.err().startsWith("The VolumeAttachment \"" + attachment + "\" is invalid: spec: Invalid value: "
                + "storage.VolumeAttachmentSpec{Attacher:\"" + driver + "\", Source:storage.VolumeAttachmentSource{"
                + "PersistentVolumeName:(*string)(0xc"), moved.err());
        assertTrue(moved.err().endsWith("), InlineVolumeSpec:(*core.PersistentVolumeSpec)(nil)}, NodeName:\"w2-k8s\"}: "
                + "field is immutable\n"), moved.err());
        Kubectl.ok(k.run("delete", "volumeattachment", attachment));
        Kubectl.ok(k.run("delete", "csidriver", driver));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void eachNodeHasItsCsiNode(String v) {
        Kubectl k = TestCluster.kubectl(v);
        String table = Kubectl.ok(k.run("get", "csinodes")).out();
        assertTrue(has("^NAME +DRIVERS +AGE$", table), table);
        for (String node : new String[]{"m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"}) assertTrue(has("^" + node + " +0 +\\d+", table), table);
        assertEquals("Node m-k8s", Kubectl.ok(k.run("get", "csinode", "m-k8s", "-o",
                "jsonpath={.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].name}")).out());
    }

    /**
     * A class marked default (here the course's, as its users do with kubectl patch) is filled in for new claims
     * without one, and given to a claim that waited without one (1.28's retroactive assignment). On a cluster of its
     * own: the shared one has no default class, which other tests count on.
     */
    @Test
    void theDefaultClassIsGivenToNewClaimsAndToThoseThatWaited(@TempDir Path dir) throws Exception {
        try (KubefakeCluster c = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data")))) {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            for (String v : new String[]{"1.29", "1.33"}) {
                Kubectl k = new Kubectl(v, c.adminConf(), Files.createDirectories(dir.resolve("home-" + v)));
                String ns = namespace(k, "e2e-default", v);
                apply(k, ns, tmp, claim("early", null, "ReadWriteOnce"));
                String before = k.runUntil(Duration.ofSeconds(60), r -> r.out().contains("FailedBinding"),
                        "-n", ns, "describe", "pvc", "early").out();
                assertTrue(has("^StorageClass: *$", before), before);
                Kubectl.ok(k.run("patch", "storageclass", "managed-nfs-storage", "-p",
                        "{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}"));
                assertTrue(has("^managed-nfs-storage \\(default\\) +" + Pattern.quote(NFS) + " +Delete +Immediate +false +",
                        Kubectl.ok(k.run("get", "sc")).out()));
                k.runUntil(Duration.ofSeconds(30), r -> r.out().equals("managed-nfs-storage Bound"), "-n", ns, "get", "pvc", "early",
                        "-o", "jsonpath={.spec.storageClassName} {.status.phase}");
                apply(k, ns, tmp, claim("late", null, "ReadWriteOnce"));
                assertEquals("managed-nfs-storage", Kubectl.ok(k.run("-n", ns, "get", "pvc", "late", "-o",
                        "jsonpath={.spec.storageClassName}")).out());
                Kubectl.ok(k.run("annotate", "storageclass", "managed-nfs-storage", "storageclass.kubernetes.io/is-default-class-"));
            }
        }
    }
}
