/** kubefake's kubeconfig module (see DESIGN.md). */
package kubefake.kubeconfig;
