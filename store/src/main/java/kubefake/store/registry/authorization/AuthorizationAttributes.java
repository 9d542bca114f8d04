package kubefake.store.registry.authorization;

import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.request.UserInfo;

/**
 * What is asked (authorizer.Attributes): a user, a verb, and either a resource (group, resource, subresource,
 * namespace, name) or a non-resource path ({@code /healthz}, {@code /version}).
 *
 * @param verb the request's verb: get, list, watch, create, update, patch, delete, deletecollection for resources
 *             (connect's are create or get); the HTTP method in lower case for paths
 * @param path the non-resource path, or null for a resource request
 */
public record AuthorizationAttributes(UserInfo user, String verb, String group, String resource, String subresource,
                                      String namespace, String name, String path) {

    public static AuthorizationAttributes resource(UserInfo user, String verb, String group, String resource,
                                                   String subresource, String namespace, String name) {
        return new AuthorizationAttributes(user, verb, nonNull(group), nonNull(resource), nonNull(subresource),
                nonNull(namespace), nonNull(name), null);
    }

    public static AuthorizationAttributes nonResource(UserInfo user, String verb, String path) {
        return new AuthorizationAttributes(user, verb, "", "", "", "", "", path);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    public boolean isResourceRequest() {
        return path == null;
    }

    /**
     * What a refusal says (responsewriters' forbiddenMessage):
     * {@code User "alice" cannot list resource "pods" in API group "" in the namespace "default"}.
     */
    public String forbiddenMessage() {
        String who = GoFormat.quote(user == null ? "" : user.name());
        if (!isResourceRequest()) return "User " + who + " cannot " + verb + " path " + GoFormat.quote(path);
        String res = subresource.isEmpty() ? resource : resource + "/" + subresource;
        String scope = namespace.isEmpty() ? "at the cluster scope" : "in the namespace " + GoFormat.quote(namespace);
        return "User " + who + " cannot " + verb + " resource " + GoFormat.quote(res) + " in API group "
                + GoFormat.quote(group) + " " + scope;
    }
}
