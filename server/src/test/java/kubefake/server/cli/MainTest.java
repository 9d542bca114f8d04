package kubefake.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as `java -jar kubefake.jar ARGS` builds it (only the subcommand ARGS name, for a faster start) says
 * and does what the whole command line does.
 */
class MainTest {

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void aSubcommandAloneHelpsAndRefusesAsTheWholeCommandLineDoes() {
        for (List<String> args : List.of(List.of("up", "--help"), List.of("up", "--prot", "3"), List.of("up", "--port", "x"),
                List.of("node", "--help"), List.of("node", "list", "--help"), List.of("get", "clusters", "--bogus"),
                List.of("snapshot"), List.of("kubeconfig", "user", "--help"))) {
            String[] a = args.toArray(String[]::new);
            assertEquals(run(Main.commandLine(), a), run(Main.commandLine(a), a), String.join(" ", args));
        }
    }

    @Test
    void theTopLevelHelpListsEverySubcommand() {
        Outcome help = run(Main.commandLine(new String[] {"--help"}), "--help");
        assertEquals(0, help.exitCode());
        for (String sub : List.of("up", "get", "delete", "export", "node", "ssh", "snapshot", "kubeconfig", "help")) {
            assertTrue(help.out().contains("\n  " + sub + " "), sub + " in\n" + help.out());
        }
        Outcome helpUp = run(Main.commandLine(new String[] {"help", "up"}), "help", "up");
        assertEquals(0, helpUp.exitCode());
        assertEquals(run(Main.commandLine(), "up", "--help").out(), helpUp.out());
        Outcome unknown = run(Main.commandLine(new String[] {"bogus"}), "bogus");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("Unmatched argument at index 0: 'bogus'"), unknown.err());
    }
}
