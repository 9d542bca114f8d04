/** The resource catalogue and the generic resource store on top of {@link kubefake.store.mvcc}. */
package kubefake.store.registry;
