package kubefake.certs;

import java.util.List;
import java.util.Objects;

/** Who a verified client certificate says its holder is: user = CN, groups = the O values in order. */
public record ClientIdentity(String user, List<String> groups) {
    public ClientIdentity {
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups);
    }
}
