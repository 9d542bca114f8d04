package kubefake.store.registry.request;

/**
 * What every write to the registry carries besides the object: who asks, what the write is, and its options. The
 * HTTP front end builds it from the authenticated user and the request's query; in-process clients from their
 * component's identity. The registry hands it to admission (and, later, to managedFields).
 *
 * @param operation    what the caller asked for; the store settles it for what actually happens (a PUT that creates
 *                     is admitted as a CREATE)
 * @param fieldManager the writer's name for managedFields, may be null
 * @param subresource  null for the main resource, else "status", "scale", "binding", ...
 * @param warnings     where admission and validation put the warnings the client is answered with
 * @param audit        where admission puts the request's audit annotations
 */
public record RequestContext(UserInfo user, Operation operation, String fieldManager, boolean dryRun, String subresource,
                             Warnings warnings, AuditAnnotations audit) {

    /** The API server's own writes (bootstrap objects, system upkeep) and tests that need no particular user. */
    public static final RequestContext LOOPBACK = of(UserInfo.API_SERVER);

    public RequestContext {
        if (user == null) throw new IllegalArgumentException("a request context needs a user");
        if (warnings == null) warnings = Warnings.DISCARDED;
        if (audit == null) audit = AuditAnnotations.DISCARDED;
    }

    /** A context for a request whose answer carries {@code warnings}, its audit annotations discarded. */
    public RequestContext(UserInfo user, Operation operation, String fieldManager, boolean dryRun, String subresource,
                          Warnings warnings) {
        this(user, operation, fieldManager, dryRun, subresource, warnings, AuditAnnotations.DISCARDED);
    }

    /** A context whose warnings nobody reads (in-process writers). */
    public RequestContext(UserInfo user, Operation operation, String fieldManager, boolean dryRun, String subresource) {
        this(user, operation, fieldManager, dryRun, subresource, Warnings.DISCARDED, AuditAnnotations.DISCARDED);
    }

    public static RequestContext of(UserInfo user) {
        return new RequestContext(user, null, null, false, null);
    }

    /** A context for a request whose answer carries {@code warnings}. */
    public static RequestContext of(UserInfo user, Warnings warnings) {
        return new RequestContext(user, null, null, false, null, warnings);
    }

    /** This context collecting its audit annotations in {@code audit}. */
    public RequestContext withAudit(AuditAnnotations audit) {
        return new RequestContext(user, operation, fieldManager, dryRun, subresource, warnings, audit);
    }

    public RequestContext withOperation(Operation operation) {
        return operation == this.operation ? this : new RequestContext(user, operation, fieldManager, dryRun, subresource, warnings, audit);
    }

    public RequestContext withFieldManager(String fieldManager) {
        return new RequestContext(user, operation, fieldManager, dryRun, subresource, warnings, audit);
    }

    public RequestContext withDryRun(boolean dryRun) {
        return dryRun == this.dryRun ? this : new RequestContext(user, operation, fieldManager, dryRun, subresource, warnings, audit);
    }

    public RequestContext withSubresource(String subresource) {
        return new RequestContext(user, operation, fieldManager, dryRun, subresource, warnings, audit);
    }

    /** The main resource's write of the same request (the context without a subresource). */
    public RequestContext mainResource() {
        return subresource == null ? this : withSubresource(null);
    }
}
