package kubefake.server.auth;

import kubefake.store.registry.request.UserInfo;

import java.util.List;

/**
 * Answers TokenReviews (pkg/registry/authentication/tokenreview) with the API server's own token authenticators: the
 * static token file, audience-agnostic, so good only for the API's audience, as kube-apiserver wraps such
 * authenticators; then service account tokens, good for any audience the token names. The review's audiences default
 * to the API's ({@link ServiceAccountTokens#ISSUER}, kubeadm's --api-audiences).
 */
public final class TokenReviewer {
    /** What a token review finds: the user (null when not authenticated) and the audiences the token is good for. */
    public record Review(UserInfo user, List<String> audiences) {
    }

    private static final List<String> API_AUDIENCES = List.of(ServiceAccountTokens.ISSUER);
    private final TokenAuthenticator audienceAgnostic;
    private final ServiceAccountTokens serviceAccounts;

    public TokenReviewer(TokenAuthenticator audienceAgnostic, ServiceAccountTokens serviceAccounts) {
        this.audienceAgnostic = audienceAgnostic;
        this.serviceAccounts = serviceAccounts;
    }

    public Review review(String token, List<String> requestedAudiences) {
        List<String> wanted = requestedAudiences.isEmpty() ? API_AUDIENCES : requestedAudiences;
        List<String> apiOnes = wanted.stream().filter(API_AUDIENCES::contains).toList();
        if (!apiOnes.isEmpty()) {
            UserInfo user = audienceAgnostic.user(token);
            if (user != null) return new Review(user, apiOnes);
        }
        return serviceAccounts.review(token, wanted);
    }
}
