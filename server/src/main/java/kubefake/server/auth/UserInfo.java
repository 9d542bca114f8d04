package kubefake.server.auth;

import java.util.List;

/** Who made a request, as the authenticators found it. */
public record UserInfo(String name, String uid, List<String> groups) {
    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"));

    public boolean isAnonymous() {
        return name.equals(ANONYMOUS.name());
    }
}
