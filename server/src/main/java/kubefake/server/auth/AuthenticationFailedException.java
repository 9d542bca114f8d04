package kubefake.server.auth;

/** Credentials were presented but are not valid: the request gets 401 Unauthorized. */
public class AuthenticationFailedException extends Exception {
    public AuthenticationFailedException(String why) {
        super(why);
    }
}
