package kubefake.server.streams;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TerminalSizesTest {
    private final List<String> sizes = new ArrayList<>();
    private final TerminalSizes decoder = new TerminalSizes((w, h) -> sizes.add(w + "x" + h));

    private void send(String s) {
        decoder.data(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEachSizeEvenWhenSplitOrSentTogether() {
        send("{\"Width\":100,\"Height\":30}");
        send("{\"Width\":8");
        send("0,\"Height\":24}{\"Width\":132,\"Height\":43}");
        assertEquals(List.of("100x30", "80x24", "132x43"), sizes);
    }

    @Test
    void aSizeWithoutWidthOrHeightIsSkipped() {
        send("{\"Width\":0,\"Height\":0}{\"Height\":24}{\"Width\":80,\"Height\":24}");
        assertEquals(List.of("80x24"), sizes);
    }

    @Test
    void aNumberGoCannotReadAsUint16EndsTheReading() {
        send("{\"Width\":70000,\"Height\":24}{\"Width\":80,\"Height\":24}");
        assertEquals(List.of(), sizes);
    }

    @Test
    void somethingElseEndsTheReadingOfSizesButIsNoError() {
        send("{\"Width\":\"wide\"}");
        send("{\"Width\":100,\"Height\":30}");
        assertEquals(List.of(), sizes, "as the kubelet's handleResizing, which stops at a decoding error");
    }
}
