/** kubefake's controllers module (see DESIGN.md). */
package kubefake.controllers;
