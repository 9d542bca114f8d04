/**
 * What kube-controller-manager's controllers share ({@code pkg/controller/controller_utils.go} and friends): reading
 * object metadata, owner references, expectations, claiming dependents by selector (adoption and release), creating
 * pods from a template, the order in which pods are deleted, and the pod template hash.
 */
package kubefake.controllers.common;
