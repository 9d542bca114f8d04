package kubefake.store.mvcc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A range whose answer is larger than gRPC's default message size (4 MiB) is read whole, as a LIST of many pods is. */
class LargeRangeTest extends StoreContractTest {
    @Test
    void aRangeOfSixMebibytesIsReadWhole() {
        String value = "x".repeat(1 << 20);
        for (int i = 0; i < 6; i++) {
            store.put("/big/" + i, Values.text(value), WriteView.ABSENT);
        }
        RangeResult all = store.range("/big/", "/big0", 0, 0);
        assertEquals(6, all.kvs().size());
        assertEquals(value, Values.text(all.kvs().get(5)));
    }
}
