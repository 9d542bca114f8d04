package kubefake.store.registry.authorization;

import kubefake.store.registry.errors.StatusException;

/**
 * Decides whether a user may make a request (authorizer.Authorizer). The HTTP front end asks it once for every
 * request before anything is read or written, and access reviews ({@code kubectl auth can-i}) report its answer,
 * so both always agree. In-process components (controllers, kubelets) are trusted and not asked per call, as their
 * real counterparts are bound to roles that allow what they do.
 */
@FunctionalInterface
public interface Authorizer {

    Decision authorize(AuthorizationAttributes attributes);

    /**
     * The 403 the real server answers for a refusal (responsewriters.Forbidden):
     * {@code pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"},
     * the decision's reason after a colon when it has one.
     */
    static StatusException forbidden(AuthorizationAttributes a, Decision decision) {
        // the message is sanitized so that it cannot look like HTML (the reason is not)
        String sanitized = a.forbiddenMessage().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String message = sanitized + (decision.reason().isEmpty() ? "" : ": " + decision.reason());
        if (!a.isResourceRequest()) return StatusException.forbidden("", "", "", message);
        return StatusException.forbidden(a.group(), a.resource(), a.name(), message);
    }
}
