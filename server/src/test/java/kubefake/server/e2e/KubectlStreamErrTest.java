package kubefake.server.e2e;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which stderr lines the streaming tests forgive: exactly client-go 1.30–1.33's known read-loop race, nothing else. */
class KubectlStreamErrTest {
    private static final String RACE = "E1206 16:02:11.123456   41234 websocket.go:297] Unknown stream id 1, discarding message\n";

    @Test
    void theKnownClientGoLineIsDroppedOnTheWebSocketVersionsOnly() {
        assertEquals("err\ncommand terminated with exit code 3\n",
                Kubectl.streamErr("1.33", RACE + "err\ncommand terminated with exit code 3\n"));
        assertEquals("", Kubectl.streamErr("1.30", RACE));
        assertEquals(RACE, Kubectl.streamErr("1.29", RACE), "1.29 speaks SPDY: the line would be news");
        assertEquals(RACE, Kubectl.streamErr("1.34", RACE), "client-go 1.34 creates its streams before reading");
    }

    @Test
    void anyOtherStrayLineIsKept() {
        String other = "E1206 16:02:11.123456   41234 websocket.go:297] Unknown stream id 2, discarding message\n";
        assertEquals(other, Kubectl.streamErr("1.33", other));
        String elsewhere = "E1206 16:02:11.123456   41234 v4.go:41] Unknown stream id 1, discarding message\n";
        assertEquals(elsewhere, Kubectl.streamErr("1.33", elsewhere));
        assertEquals("error: unable to upgrade connection\n", Kubectl.streamErr("1.33", "error: unable to upgrade connection\n"));
    }
}
