package kubefake.store.registry.authorization;

/**
 * An authorizer's answer: allowed or not, and why (the reason a SubjectAccessReview reports and a 403 appends).
 */
public record Decision(boolean allowed, String reason) {
    public static Decision allow(String reason) {
        return new Decision(true, reason == null ? "" : reason);
    }

    public static Decision deny(String reason) {
        return new Decision(false, reason == null ? "" : reason);
    }
}
