package kubefake.server.printers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "-PT3S, <invalid>",
            "-PT2S, <invalid>",
            "-PT1.999S, 0s",
            "-PT1S, 0s",
            "PT0S, 0s",
            "PT0.9S, 0s",
            "PT59S, 59s",
            "PT1M59.9S, 119s",
            "PT2M, 2m",
            "PT2M30S, 2m30s",
            "PT9M59S, 9m59s",
            "PT10M, 10m",
            "PT10M59S, 10m",
            "PT2H59M, 179m",
            "PT3H, 3h",
            "PT3H30M, 3h30m",
            "PT7H59M59S, 7h59m",
            "PT8H, 8h",
            "PT47H59M, 47h",
            "PT48H, 2d",
            "P2DT5H, 2d5h",
            "P7DT23H, 7d23h",
            "P8D, 8d",
            "P8DT23H, 8d",
            "P729D, 729d",
            "P730D, 2y",
            "P733D, 2y3d",
            "P2919D, 7y364d",
            "P2920D, 8y",
            "P3700D, 10y",
    })
    void formatsLikeKubernetes(String iso, String expected) {
        assertEquals(expected, HumanDuration.format(Duration.parse(iso)));
    }
}
