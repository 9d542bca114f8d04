/**
 * Authorization: one call, {@link kubefake.store.registry.authorization.Authorizer#authorize}, that decides whether a
 * user may make a request, asked by the HTTP front end for every request and by the access reviews alike.
 */
package kubefake.store.registry.authorization;
