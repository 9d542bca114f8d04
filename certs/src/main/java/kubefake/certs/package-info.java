/** kubefake's certs module (see DESIGN.md). */
package kubefake.certs;
