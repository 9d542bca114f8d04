/**
 * What a real 1.33 API server fills in on create ({@link kubefake.store.registry.defaulting.Defaulter}): scheme
 * defaults, always-serialized fields, and the default admission plugins' mutations.
 */
package kubefake.store.registry.defaulting;
