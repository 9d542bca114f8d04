/** kubefake's nodesim module (see DESIGN.md). */
package kubefake.nodesim;
