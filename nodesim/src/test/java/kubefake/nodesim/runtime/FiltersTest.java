package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text filters at the end of an exec shell's pipelines, as coreutils print them. */
class FiltersTest {
    private static final String TEXT = "one two\nthree\n";

    @Test
    void wcPrintsTheCountsItsOptionsSelect() {
        assertEquals("      2       3      14\n", Filters.apply(List.of("wc"), TEXT));
        assertEquals("2\n", Filters.apply(List.of("wc", "-l"), TEXT));
        assertEquals("3\n", Filters.apply(List.of("wc", "-w"), TEXT));
        assertEquals("14\n", Filters.apply(List.of("wc", "-c"), TEXT));
        assertEquals("      2      14\n", Filters.apply(List.of("wc", "-lc"), TEXT));
    }

    @Test
    void wcOfAFileNamesIt() {
        assertEquals("14 /tmp/t\n", Filters.wc(List.of("-c", "/tmp/t"), TEXT, 2, 14, "/tmp/t"));
        assertEquals(" 2  3 14 /tmp/t\n", Filters.wc(List.of("/tmp/t"), TEXT, 2, 14, "/tmp/t"));
    }
}
