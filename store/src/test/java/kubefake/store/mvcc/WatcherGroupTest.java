package kubefake.store.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WatcherGroupTest {
    private final WatcherGroup group = new WatcherGroup();

    private StoreWatcher add(String prefix) {
        StoreWatcher watcher = new StoreWatcher(prefix, null, 0, 0, () -> { }, 10, new EventLog(), w -> { });
        group.add(watcher);
        return watcher;
    }

    private Set<String> matching(String key) {
        return group.matching(key).stream().map(StoreWatcher::prefix).collect(Collectors.toSet());
    }

    @Test
    void findsEveryPrefixOfTheKeyAndNothingElse() {
        List<String> prefixes = List.of("", "/", "/reg", "/registry/", "/registry/pods/", "/registry/pods/ns1/",
                "/registry/pods/ns1/a", "/registry/pods/ns1/abc", "/registry/pods/ns1/abcd", "/registry/pods/ns2/",
                "/registry/pods/ns1/b", "/registry/podsx/", "/registry/pods/ns1/abc/");
        prefixes.forEach(this::add);

        for (String key : List.of("/registry/pods/ns1/abc", "/registry/pods/ns1/abcd/x", "/registry/pods/ns2/abc",
                "/registry/podsx/ns1/a", "/other", "", "/registry/pods/ns1/abc/")) {
            Set<String> expected = prefixes.stream().filter(key::startsWith).collect(Collectors.toSet());
            assertEquals(expected, matching(key), key);
        }
    }

    @Test
    void removedWatchersAreNoLongerFound() {
        StoreWatcher a = add("/p/");
        StoreWatcher b = add("/p/x");
        add("/p/");
        group.remove(a);
        group.remove(b);
        group.remove(b);

        assertEquals(1, group.size());
        assertEquals(1, group.matching("/p/x").size());
        assertEquals(1, group.all().size());
    }
}
