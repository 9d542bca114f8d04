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
        assertEquals("14 /tmp/t\n", new Filters.Counts().add(TEXT.getBytes()).format(List.of("-c", "/tmp/t"), "/tmp/t"));
        assertEquals(" 2  3 14 /tmp/t\n", new Filters.Counts().add(TEXT.getBytes()).format(List.of("/tmp/t"), "/tmp/t"));
    }

    @Test
    void sortTakesItsCommonFlags() {
        String lines = "10\n9\nb\n10\na\n";
        assertEquals("10\n10\n9\na\nb\n", Filters.apply(List.of("sort"), lines));
        assertEquals("b\na\n9\n10\n10\n", Filters.apply(List.of("sort", "-r"), lines));
        assertEquals("b\n9\n10\n", Filters.apply(List.of("sort", "-nu"), lines),
                "no number sorts as 0, and -u keeps the first line of each number");
        assertEquals("10\n9\nb\n", Filters.apply(List.of("sort", "-r", "-n", "-u"), lines));
        assertEquals("10\n9\na\nb\n", Filters.apply(List.of("sort", "-u"), lines));
    }
}
