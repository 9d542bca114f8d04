package kubefake.server.auth;

import kubefake.store.registry.request.UserInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's --token-auth-file: CSV lines {@code token,user,uid,"group1,group2"} (groups optional, quoted
 * when there are several). Blank lines and lines starting with # are skipped.
 */
public final class StaticTokenFile implements TokenAuthenticator {
    private final Map<String, UserInfo> users;

    private StaticTokenFile(Map<String, UserInfo> users) {
        this.users = users;
    }

    public static StaticTokenFile empty() {
        return new StaticTokenFile(Map.of());
    }

    public static StaticTokenFile load(Path file) throws IOException {
        Map<String, UserInfo> users = new HashMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
            List<String> fields = csvFields(line);
            if (fields.size() < 3) {
                throw new IOException(file + ": line " + lineNo + ": expected token,user,uid[,\"groups\"] but found " + fields.size() + " fields");
            }
            List<String> groups = new ArrayList<>();
            if (fields.size() > 3 && !fields.get(3).isEmpty()) {
                for (String g : fields.get(3).split(",")) if (!g.isBlank()) groups.add(g.trim());
            }
            groups.add("system:authenticated");
            users.put(fields.get(0), new UserInfo(fields.get(1), fields.get(2), List.copyOf(groups)));
        }
        return new StaticTokenFile(users);
    }

    /** The user of a token, or null when the token is unknown. */
    @Override
    public UserInfo user(String token) {
        return users.get(token);
    }

    /** Splits one CSV line (RFC 4180 quoting with "" for a quote inside a quoted field). */
    static List<String> csvFields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }
}
