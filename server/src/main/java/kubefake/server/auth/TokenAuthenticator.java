package kubefake.server.auth;

import kubefake.store.registry.request.UserInfo;

/** Who a bearer token belongs to (authenticator.Token); the first authenticator that knows the token answers. */
@FunctionalInterface
public interface TokenAuthenticator {

    /** The token's user, or null when this authenticator does not know it. */
    UserInfo user(String token);

    /** kube-apiserver's union of token authenticators: the static token file, then service account tokens. */
    static TokenAuthenticator union(TokenAuthenticator... authenticators) {
        return token -> {
            for (TokenAuthenticator a : authenticators) {
                UserInfo u = a.user(token);
                if (u != null) return u;
            }
            return null;
        };
    }
}
