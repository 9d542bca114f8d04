package kubefake.nodesim.lifecycle;

/**
 * Where a pod or one of its containers is in the kubelet's work. Stages move them from step to step; what entering a
 * step means for the pod's status (a container ID, a running state, an IP) is the kubelet's, fixed as the real one
 * does it, and listed here.
 */
public enum Step {
    // ---- a pod
    /** The kubelet has taken the pod: its status says Pending, its containers wait (ContainerCreating). */
    Admitted(Scope.POD),
    /** The sandbox exists and has its network: an IP from the node's Calico block; PodReadyToStartContainers is True. */
    SandboxReady(Scope.POD),

    // ---- a container
    /** Not its turn yet (an init container before it has not finished). */
    Waiting(Scope.CONTAINER),
    /** Its turn: the kubelet looks at the image (pull policy, present on the node or not). */
    Pull(Scope.CONTAINER),
    /** The image is being pulled. */
    Pulling(Scope.CONTAINER),
    /** The pull failed: waiting with reason ErrImagePull and the registry's error; the image back-off grows. */
    PullFailed(Scope.CONTAINER),
    /** Waiting for the image back-off to pass: reason ImagePullBackOff. */
    PullBackOff(Scope.CONTAINER),
    /** The image is absent and the pull policy is Never: reason ErrImageNeverPull. */
    PullNever(Scope.CONTAINER),
    /** The image is on the node; the container is being created. */
    Create(Scope.CONTAINER),
    /** The container exists (it has its containerd:// ID) and is being started. */
    Start(Scope.CONTAINER),
    /** Its process runs; it ends as its image's behaviour says, or when it is stopped. */
    Running(Scope.CONTAINER),
    /** Its process has exited: state terminated (Completed for 0, else Error). */
    Exited(Scope.CONTAINER),
    /** Waiting for the crash back-off to pass: reason CrashLoopBackOff. */
    CrashBackOff(Scope.CONTAINER),
    /** Exited for good (the restart policy does not restart it). */
    Done(Scope.CONTAINER);

    public enum Scope { POD, CONTAINER }

    private final Scope scope;

    Step(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }
}
