package kubefake.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder writes the bytes Go writes: every protobuf body kubectl 1.33 sent (encoded by gogo-protobuf), read
 * back to JSON, encodes to exactly those bytes, envelope included.
 */
class ProtobufEncoderFixturesTest {

    static List<Path> protobufFixtures() throws Exception {
        return ProtobufFixturesTest.protobufFixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protobufFixtures")
    void encodesTheJsonOfAGoBodyToTheBytesGoWrote(Path protobuf) throws Exception {
        byte[] go = Files.readAllBytes(protobuf);
        byte[] encoded = ProtobufEncoder.encode(ProtobufDecoder.decode(go));
        assertEquals(HexFormat.of().formatHex(go), HexFormat.of().formatHex(encoded), protobuf.getFileName().toString());
    }
}
