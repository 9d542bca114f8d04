/**
 * What the scheduler, the DaemonSet controller, the node lifecycle controllers and the kubelet share about where a
 * pod may run (Kubernetes' {@code k8s.io/component-helpers/scheduling/corev1} and {@code component-helpers/resource},
 * with the scheduler's resource fit): taints and tolerations, required node affinity with the pod's nodeSelector,
 * and a pod's resource requests against a node's allocatable resources and pod capacity. Objects are read as trees.
 */
package kubefake.client.scheduling;
