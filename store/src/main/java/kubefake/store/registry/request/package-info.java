/** Who makes a request and what it is: the user and the request context every write carries. */
package kubefake.store.registry.request;
