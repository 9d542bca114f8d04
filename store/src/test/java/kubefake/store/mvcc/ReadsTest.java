package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.keys;
import static kubefake.store.mvcc.Values.put;
import static kubefake.store.mvcc.Values.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadsTest extends StoreContractTest {

    @Test
    void getAtAPastRevisionSeesTheValueThen() {
        put(store, "/a", "1");      // 1
        put(store, "/b", "x");      // 2
        put(store, "/a", "2");      // 3
        store.delete("/a", WriteView.ANY); // 4
        put(store, "/a", "3");      // 5

        assertEquals("1", text(store.get("/a", rev(1))));
        assertEquals("1", text(store.get("/a", rev(2))));
        assertEquals("2", text(store.get("/a", rev(3))));
        assertNull(store.get("/a", rev(4)));
        assertEquals("3", text(store.get("/a", rev(5))));
        assertEquals("3", text(store.get("/a", 0)));
        assertNull(store.get("/b", rev(1)));
    }

    @Test
    void futureRevisionsAreRefused() {
        put(store, "/a", "1");
        FutureRevisionException e = assertThrows(FutureRevisionException.class, () -> store.get("/a", rev(2)));
        assertEquals(rev(2), e.requestedRevision());
        assertEquals(rev(1), e.currentRevision());
        assertThrows(FutureRevisionException.class, () -> store.range("/", "/z", rev(5), 0));
    }

    @Test
    void rangeListsLiveKeysInOrderWithinBounds() {
        put(store, "/registry/pods/ns1/b", "b");
        put(store, "/registry/pods/ns1/a", "a");
        put(store, "/registry/pods/ns2/c", "c");
        put(store, "/registry/services/ns1/s", "s");
        put(store, "/registry/pods/ns1/gone", "g");
        store.delete("/registry/pods/ns1/gone", WriteView.ANY);

        RangeResult pods = store.range("/registry/pods/", ReadView.prefixEnd("/registry/pods/"), 0, 0);
        RangeResult ns1 = store.range("/registry/pods/ns1/", ReadView.prefixEnd("/registry/pods/ns1/"), 0, 0);

        assertEquals(List.of("/registry/pods/ns1/a", "/registry/pods/ns1/b", "/registry/pods/ns2/c"), keys(pods));
        assertEquals(3, pods.count());
        assertFalse(pods.more());
        assertEquals(rev(6), pods.revision());
        assertEquals(List.of("/registry/pods/ns1/a", "/registry/pods/ns1/b"), keys(ns1));
    }

    @Test
    void rangeBoundsAreFromInclusiveEndExclusive() {
        put(store, "/a", "");
        put(store, "/b", "");
        put(store, "/c", "");

        assertEquals(List.of("/a", "/b"), keys(store.range("/a", "/c", 0, 0)));
        assertEquals(List.of("/b", "/c"), keys(store.range("/b", null, 0, 0)));
        assertEquals(List.of(), keys(store.range("/c", "/a", 0, 0)));
        assertEquals(List.of(), keys(store.range("/b", "/b", 0, 0)));
    }

    @Test
    void rangeAtAPastRevisionSeesThatState() {
        put(store, "/p/a", "a1");   // 1
        put(store, "/p/b", "b1");   // 2
        put(store, "/p/a", "a2");   // 3
        store.delete("/p/b", WriteView.ANY); // 4
        put(store, "/p/c", "c1");   // 5

        RangeResult at2 = store.range("/p/", ReadView.prefixEnd("/p/"), rev(2), 0);
        RangeResult at4 = store.range("/p/", ReadView.prefixEnd("/p/"), rev(4), 0);

        assertEquals(List.of("a1", "b1"), at2.kvs().stream().map(Values::text).toList());
        assertEquals(rev(2), at2.revision());
        assertEquals(List.of("a2"), at4.kvs().stream().map(Values::text).toList());
        assertEquals(1, at4.count());
        assertEquals(List.of("/p/a", "/p/c"), keys(store.range("/p/", ReadView.prefixEnd("/p/"), 0, 0)));
    }

    @Test
    void limitCutsTheListButCountCoversTheWholeRange() {
        for (int i = 0; i < 10; i++) {
            put(store, "/k/" + i, "v" + i);
        }
        store.delete("/k/3", WriteView.ANY);

        RangeResult page = store.range("/k/", ReadView.prefixEnd("/k/"), 0, 4);

        assertEquals(List.of("/k/0", "/k/1", "/k/2", "/k/4"), keys(page));
        assertTrue(page.more());
        assertEquals(9, page.count());

        // The next page continues after the last key at the same revision, as a continue token does.
        put(store, "/k/5", "changed later");
        RangeResult next = store.range("/k/4\0", ReadView.prefixEnd("/k/"), page.revision(), 4);
        assertEquals(List.of("/k/5", "/k/6", "/k/7", "/k/8"), keys(next));
        assertEquals("v5", text(next.kvs().get(0)));
        assertTrue(next.more());
        assertEquals(5, next.count());

        RangeResult last = store.range("/k/8\0", ReadView.prefixEnd("/k/"), page.revision(), 4);
        assertEquals(List.of("/k/9"), keys(last));
        assertFalse(last.more());
    }

    @Test
    void aLimitEqualToTheCountHasNoMore() {
        put(store, "/k/a", "");
        put(store, "/k/b", "");
        RangeResult result = store.range("/k/", ReadView.prefixEnd("/k/"), 0, 2);
        assertEquals(2, result.kvs().size());
        assertFalse(result.more());
        assertEquals(2, result.count());
    }

    @Test
    void anEmptyRangeReportsTheCurrentRevision() {
        put(store, "/a", "");
        RangeResult result = store.range("/nothing/", ReadView.prefixEnd("/nothing/"), 0, 0);
        assertEquals(List.of(), result.kvs());
        assertEquals(rev(1), result.revision());
        assertEquals(0, result.count());
    }
}
