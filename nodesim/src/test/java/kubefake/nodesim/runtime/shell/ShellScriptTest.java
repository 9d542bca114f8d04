package kubefake.nodesim.runtime.shell;

import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.ExecRecorder;
import kubefake.nodesim.runtime.ImageCatalogue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripts as {@code kubectl exec POD -- sh -c '...'} runs them in the simulated containers: busybox's ash, Debian's
 * dash (nginx's sh) and bash; what a user sees on stdout and stderr and the exit status.
 */
class ShellScriptTest {
    private static final String DATE = "[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} UTC \\d{4}";
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();
    private final ExecRecorder io = new ExecRecorder();
    private final StringBuilder out = io.out;
    private final StringBuilder err = io.err;
    private final List<Runnable> timers = io.timers;
    private final List<Duration> delays = io.delays;

    private ExecProcess start(String image, List<String> argv, boolean stdin, boolean tty) {
        ExecProcess p = io.start(new ExecProcess.Container("bb", catalogue.resolve(image), List.of(), Map.of("A", "b"),
                ExecRecorder.CONTAINER_STARTED, () -> { }), argv, stdin, tty);
        assertNull(io.failure, "the runtime refused the process");
        return p;
    }

    /** Runs {@code sh -c script} in the image to its end (its sleeps elapse at once). */
    private String sh(String image, String script) {
        return run(image, List.of("sh", "-c", script));
    }

    private String run(String image, List<String> argv) {
        out.setLength(0);
        err.setLength(0);
        io.exit = null;
        start(image, argv, false, false);
        for (int i = 0; io.exit == null && !timers.isEmpty() && i < 10_000; i++) timers.remove(0).run();
        return out.toString();
    }

    @Test
    void aForLoopOverCommandSubstitutionRunsItsBodyPerWord() {
        String dates = sh("busybox", "for i in $(seq 1 3); do date; done");
        assertEquals(3, dates.lines().count(), dates);
        assertTrue(dates.lines().allMatch(l -> l.matches(DATE)), dates);
        assertEquals("", err.toString());
        assertEquals(0, io.exit);
        assertEquals("1-2-3-\n", sh("busybox", "for i in `seq 3`; do printf \"$i-\"; done; echo"));
        assertEquals("a b\n", sh("busybox", "echo $(echo a b)"));
        assertEquals("x:y\n", sh("busybox", "echo \"$(echo x):`echo y`\""));
        assertEquals("inner\n", sh("busybox", "echo $(echo $(echo inner))"));
    }

    @Test
    void seqCountsAsBusyBoxAndCoreutilsDo() {
        assertEquals("1\n2\n3\n", sh("busybox", "seq 3"));
        assertEquals("2,4,6\n", sh("busybox", "seq -s , 2 2 6"));
        assertEquals("08\n09\n10\n", sh("nginx", "seq -w 8 10"));
        assertEquals("", sh("nginx", "seq"));
        assertEquals("seq: missing operand\nTry 'seq --help' for more information.\n", err.toString());
        assertEquals(1, io.exit);
    }

    @Test
    void arithmeticAndWhileLoopsCount() {
        assertEquals("0 1 2 \n", sh("busybox", "i=0; while [ $i -lt 3 ]; do printf \"$i \"; i=$((i + 1)); done; echo"));
        assertEquals("7 1 8 2 -1\n", sh("busybox", "a=3; echo $((a * 2 + 1)) $((a > 2)) $((1 << a)) $((17 % 5)) $((-a / 2))"));
        assertEquals("3\n", sh("nginx", "n=0; until [ $n -ge 3 ]; do n=$((n+1)); done; echo $n"));
        assertEquals("", sh("busybox", "echo $((1 / 0))"));
        assertEquals("sh: divide by zero\n", err.toString());
        assertEquals(2, io.exit);
    }

    @Test
    void conditionsAndCaseChooseTheirBranch() {
        assertEquals("two\n", sh("busybox", "x=2; if [ $x = 1 ]; then echo one; elif [ $x = 2 ]; then echo two; else echo many; fi"));
        assertEquals("many\n", sh("busybox", "if false; then echo no; else echo many; fi"));
        assertEquals("image\nother\nstar\n", sh("busybox", "for f in nginx:1.27 x busybox.tar; do case $f in nginx:*|alpine) echo image;;"
                + " *.tar) echo star;; *) echo other;; esac; done"));
        assertEquals("yes\n", sh("busybox", "! false && echo yes || echo no"));
        assertEquals("no\n", sh("busybox", "true && false || echo no"));
    }

    @Test
    void aPipelinesStagesRunTogether() {
        // an endless producer: the reader takes its lines as they come, and its end kills the writer (SIGPIPE)
        assertEquals("tick\ntick\ntick\n", sh("busybox", "while true; do echo tick; sleep 1; done | head -n 3"));
        assertEquals(0, io.exit);
        assertEquals("y\ny\n", sh("busybox", "while true; do echo y; done | head -2"));
        assertEquals("y\n0\n", sh("busybox", "(while true; do echo y; done; echo after >&2) | head -1; echo $?"),
                "the pipeline's status is its last stage's");
        assertEquals("", err.toString(), "the writer died of SIGPIPE: nothing after its loop ran");
        assertEquals("UTC\nUTC\n", sh("busybox", "while true; do echo UTC; sleep 1; done | grep UTC | head -n 2"));
        assertEquals(0, io.exit, "grep between them died of SIGPIPE, and then the loop");
        assertEquals("got tick\ngot tick\n", sh("busybox",
                "while true; do echo tick; sleep 1; done | grep tick | while read l; do echo got $l; done | head -n 2"));
        assertEquals("a b\nc d\n", sh("busybox", "printf 'a b\\nc d\\n' | (read x; echo $x; read y; echo $y)"),
                "a command that does not read stdin (echo) leaves the pipe to the next read");
        // more than a pipe holds (64 KiB) into a reader that needs it all
        assertEquals("5000\n", sh("busybox", "i=0; while [ $i -lt 5000 ]; do echo 0123456789abcdef; i=$((i+1)); done | wc -l"));
        assertEquals("1\n0\n", sh("busybox", "true | false; echo $?; false | true; echo $?"));
        assertEquals("y\ny\nno\n141 0\n", sh("busybox", "yes | head -n 2; yes no | head -1; yes | (read a; exit 0); echo 141 $?"));
        assertEquals("100000\n", sh("busybox", "yes | head -n 100000 | wc -l"), "through a full pipe and back");
        assertEquals("y\n", sh("busybox", "yes | head -n1"));
        assertEquals("108894\n", sh("busybox", "seq 1 20000 | tr '\\n' ' ' | head -n 1 | wc -c"),
                "a line longer than the pipe holds reaches its line reader whole");
        assertEquals("3 c\n2 b\n", sh("busybox", "printf '2 b\\n3 c\\n1 a\\n' | sort -r -k 1 | head -n 2"));
        assertEquals("1\n", sh("busybox", "printf 'ab\\ncd\\n' | grep --count a"));
        assertEquals("ab\n", sh("busybox", "printf 'ab\\ncd\\n' | timeout 5 grep a"));
        assertEquals("written\n", sh("busybox", "(sleep 1; echo written > /tmp/f) | true; cat /tmp/f"),
                "a stage that does not write into the gone reader's pipe goes on");
        assertEquals("sort: standard input: File too large\n1\n", sh("busybox", "yes | sort 2>&1; echo $?"),
                "an endless input to a program that needs it whole");
        // wc and tail keep their counts and last lines, not their input: more than a program may hold whole (16 MiB)
        assertEquals("2999999\n3000000\n", sh("busybox", "seq 1 3000000 | tail -n 2"));
        assertEquals("3000000 3000000 22888896\n", sh("nginx", "seq 3000000 | wc"));
        assertEquals("tail: standard input: File too large\n1\n", sh("busybox", "yes | tr -d '\\n' | tail -n 1 2>&1; echo $?"),
                "a last line that never ends is held up to 16 MiB, not without bound");
    }

    @Test
    void pipesFeedTheNextCommand() {
        assertEquals("4\n5\n", sh("busybox", "seq 1 5 | tail -n 2"));
        assertEquals("2\n", sh("busybox", "seq 10 | grep 1 | wc -l"));
        assertEquals("a\nb\n", sh("busybox", "printf 'b\\na\\n' | sort"));
        assertEquals("b-a\nd-c\n", sh("busybox", "printf 'a b\\nc d\\n' | while read x y; do echo \"$y-$x\"; done"));
        assertEquals("\n", sh("busybox", "echo x | read v; echo \"$v\""), "a pipeline's stages run in subshells");
    }

    @Test
    void parametersExpandWithTheirOperators() {
        assertEquals("d|set|3|b/c|a/b|file|tar\n", sh("busybox",
                "p=a/b/c; f=file.tar; echo \"${unset:-d}|${x:=set}|${#x}|${p#*/}|${p%/*}|${f%.*}|${f##*.}\""));
        assertEquals("2 a b-c\n", run("busybox", List.of("sh", "-c", "echo $# $1 \"$2\"", "name", "a", "b-c")));
        assertEquals("[a][b c]\n", run("busybox", List.of("sh", "-c", "for w in \"$@\"; do printf \"[$w]\"; done; echo", "sh", "a", "b c")));
        assertEquals("2 1\n", sh("busybox", "x='a  b'; set -- $x; n=$#; set -- \"$x\"; echo $n $#"));
        assertEquals("b\n", sh("busybox", "echo $A"));
        assertEquals("", sh("busybox", "echo ${nope:?is missing}"));
        assertEquals("sh: nope: is missing\n", err.toString());
        assertEquals(2, io.exit);
    }

    @Test
    void quotesKeepWordsAndLiterals() {
        assertEquals("$HOME 'b' \"b\" a\\b\n", sh("busybox", "echo '$HOME' \"'$A'\" \\\"$A\\\" 'a\\b'"));
        assertEquals("/root /root/x\n", sh("busybox", "echo ~ ~/x"));
        assertEquals("/etc/hostname /etc/hosts\n", sh("busybox", "echo /etc/host*"));
        assertEquals("/etc/host*\n", sh("busybox", "echo \"/etc/host*\""));
        assertEquals("/nope*\n", sh("busybox", "echo /nope*"));
    }

    @Test
    void redirectionsWriteAndReadTheContainersFiles() {
        assertEquals("one\ntwo\n", sh("busybox", "echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f"));
        assertEquals("failed\n", sh("busybox", "cat /nope 2>/dev/null || echo failed"));
        assertEquals("", err.toString());
        assertEquals("to err\n", sh("busybox", "echo to err >&2 2>/dev/null") + err);
        assertEquals("both\n", sh("busybox", "{ echo both >&2; } 2>&1"));
        assertEquals("", err.toString());
        assertEquals("hello b\n$A\n", sh("busybox", "cat <<EOF\nhello $A\nEOF\ncat <<'EOF'\n$A\nEOF"));
        assertEquals("", sh("busybox", "cat < /nope"));
        assertEquals("sh: can't open /nope: no such file\n", err.toString());
        assertEquals(1, io.exit);
        assertEquals("", sh("nginx", "echo x > /no/dir/f"));
        assertEquals("sh: 1: cannot create /no/dir/f: Directory nonexistent\n", err.toString());
        assertEquals(2, io.exit);
    }

    @Test
    void functionsSubshellsAndLoopControl() {
        assertEquals("in f a\n3\n", sh("busybox", "f() { echo \"in f $1\"; return 3; echo never; }; f a; echo $?"));
        assertEquals("/tmp\n/\n", sh("busybox", "(cd /tmp; pwd); pwd"));
        assertEquals("3\n", sh("busybox", "(exit 3); echo $?"), "exit in a subshell ends the subshell");
        assertEquals("1 3 \n", sh("busybox", "for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; printf \"$i \"; done; echo"));
        assertEquals("1a 2a \n", sh("busybox", "for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; printf \"$i$j \"; done; done; echo"));
        assertEquals("/tmp\n", sh("busybox", "cd /tmp && pwd"));
        assertEquals("x y\n", sh("busybox", "eval 'echo x' y"));
    }

    @Test
    void aMissingCommandIsReportedAsEachShellDoes() {
        assertEquals("", sh("busybox", "nope"));
        assertEquals("sh: nope: not found\n", err.toString());
        assertEquals(127, io.exit);
        run("busybox", List.of("/bin/sh", "-c", "echo; nope"));
        assertEquals("/bin/sh: nope: not found\n", err.toString());
        sh("nginx", "true\nnope");
        assertEquals("sh: 2: nope: not found\n", err.toString());
        assertEquals(127, io.exit);
        run("nginx", List.of("bash", "-c", "nope"));
        assertEquals("bash: line 1: nope: command not found\n", err.toString());
        assertEquals(127, io.exit);
        sh("busybox", "cd /nope");
        assertEquals("sh: cd: line 1: can't cd to /nope: No such file or directory\n", err.toString());
        assertEquals(2, io.exit);
        run("nginx", List.of("bash", "-c", "cd /nope"));
        assertEquals("bash: line 1: cd: /nope: No such file or directory\n", err.toString());
        assertEquals(1, io.exit);
    }

    @Test
    void syntaxErrorsAreReportedAsEachShellDoes() {
        assertEquals("", sh("busybox", "do date; done"));
        assertEquals("sh: syntax error: unexpected \"do\"\n", err.toString());
        assertEquals(2, io.exit);
        sh("busybox", "for i in 1 2; echo $i; done");
        assertEquals("sh: syntax error: unexpected word (expecting \"do\")\n", err.toString());
        sh("busybox", "if true; then echo x");
        assertEquals("sh: syntax error: unexpected end of file (expecting \"fi\")\n", err.toString());
        sh("busybox", "for; do :; done");
        assertEquals("sh: syntax error: bad for loop variable\n", err.toString());
        sh("busybox", "echo 'open");
        assertEquals("sh: syntax error: unterminated quoted string\n", err.toString());
        sh("nginx", "echo x; done");
        assertEquals("sh: 1: Syntax error: \"done\" unexpected\n", err.toString());
        assertEquals(2, io.exit);
        run("nginx", List.of("bash", "-c", "echo x; done"));
        assertEquals("bash: -c: line 1: syntax error near unexpected token `done'\nbash: -c: line 1: `echo x; done'\n", err.toString());
        assertEquals(2, io.exit);
        assertEquals("", out.toString(), "nothing runs when the script does not parse");
    }

    @Test
    void aLoopWithSleepWaitsOnTheProcessTimer() {
        out.setLength(0);
        start("busybox", List.of("sh", "-c", "while true; do date; sleep 5; done"), false, false);
        assertEquals(1, out.toString().lines().count());
        for (int i = 0; i < 3; i++) timers.remove(0).run();
        assertEquals(4, out.toString().lines().count(), out::toString);
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)), delays);
        assertNull(io.exit);
    }

    @Test
    void aLoopThatNeverWaitsYieldsTheThread() {
        start("busybox", List.of("sh", "-c", "while :; do :; done"), false, false);
        assertNull(io.exit);
        assertEquals(1, timers.size(), "it goes on later, on the process's timer");
        timers.remove(0).run();
        assertEquals(1, timers.size());
        ExecProcess counted = start("busybox", List.of("sh", "-c", "n=0; while [ $n -lt 2500 ]; do n=$((n+1)); done; echo $n"), false, false);
        for (int i = 0; io.exit == null && i < 100; i++) timers.remove(timers.size() - 1).run();
        assertTrue(out.toString().endsWith("2500\n"), out::toString);
        counted.containerEnded();
    }

    @Test
    void scriptFilesRunWithTheirName() {
        sh("busybox", "printf 'echo from file $1\\nnope\\n' > /tmp/s.sh; sh /tmp/s.sh arg");
        assertEquals("from file arg\n", out.toString());
        assertEquals("/tmp/s.sh: line 2: nope: not found\n", err.toString());
        assertEquals(127, io.exit);
    }

    @Test
    void anInteractiveShellReadsACommandOverSeveralLines() {
        ExecProcess p = start("busybox", List.of("sh"), true, true);
        p.input("for i in 1 2\r".getBytes(StandardCharsets.UTF_8));
        p.input("do echo $i; done\r".getBytes(StandardCharsets.UTF_8));
        assertEquals("/ # for i in 1 2\r\n> do echo $i; done\r\n1\r\n2\r\n/ # ", out.toString());
        p.input("exit 5\r".getBytes(StandardCharsets.UTF_8));
        assertEquals(5, io.exit);
    }

    @Test
    void uptimeIsOneLine() {
        String line = sh("busybox", "uptime");
        assertTrue(line.matches(" \\d{2}:\\d{2}:\\d{2} up .*load average: \\d+\\.\\d{2}, \\d+\\.\\d{2}, \\d+\\.\\d{2}\n"), line);
    }

    @Test
    void setEEndsTheScriptAtTheFirstFailureOutsideAConditionWithItsStatus() {
        assertEquals("a\n", sh("busybox", "set -e; echo a; false; echo b"));
        assertEquals(1, io.exit);
        assertEquals("ok\nend\n", sh("nginx", "set -e; false || echo ok; false && echo no; if false; then :; fi; "
                + "while false; do :; done; ! true; false | true; echo end"));
        assertEquals(0, io.exit);
        assertEquals("in\n", sh("busybox", "set -e; f() { echo in; false; echo after; }; f; echo never"));
        assertEquals(1, io.exit);
        assertEquals("", sh("busybox", "set -e; (false; echo sub); echo never"));
        assertEquals(1, io.exit);
        assertEquals("", sh("nginx", "set -e; x=$(exit 3); echo never"));
        assertEquals(3, io.exit);
        assertEquals("b\n", sh("busybox", "set -e; set +e; false; echo b"));
        assertEquals(0, io.exit);
    }

    @Test
    void setXWritesEachCommandAsExpandedToStandardError() {
        assertEquals("a b c\n1\n", sh("busybox", "set -ex; echo \"a b\" c; x=1; echo $x"));
        assertEquals("+ echo 'a b' c\n+ x=1\n+ echo 1\n", err.toString());
        assertEquals("", sh("busybox", "set -x; set +x; true"));
        assertEquals("+ set +x\n", err.toString());
    }

    @Test
    void setRefusesAnOptionNoShellHas() {
        assertEquals("", sh("busybox", "set -q; echo b"));
        assertTrue(err.toString().endsWith("illegal option -q\n"), err.toString());
        assertEquals(2, io.exit);
        sh("nginx", "set -q");
        assertTrue(err.toString().endsWith("Illegal option -q\n"), err.toString());
    }

    @Test
    void anExitTrapRunsWhenTheScriptEndsAndKeepsItsStatus() {
        assertEquals("hi\nbye\n", sh("busybox", "trap 'echo bye' EXIT; echo hi"));
        assertEquals(0, io.exit);
        assertEquals("bye\n", sh("nginx", "trap 'echo bye' EXIT; exit 3; echo never"));
        assertEquals(3, io.exit);
        assertEquals("trap -- 'echo x' TERM\n", sh("busybox", "trap 'echo x' TERM; trap"));
        assertEquals("", sh("busybox", "trap 'echo x' TERM; trap - TERM; trap"));
        sh("busybox", "trap 'echo x' NOSUCH");
        assertTrue(err.toString().endsWith("NOSUCH: bad trap\n"), err.toString());
    }

    @Test
    void waitWaitsForTheBackgroundJobsAndGivesTheNamedOnesStatus() {
        assertEquals("started\ndone\n", sh("busybox", "sleep 2 & echo started; wait; echo done"));
        assertTrue(delays.contains(Duration.ofSeconds(2)), delays::toString);
        assertEquals("7\n", sh("busybox", "(exit 7) & wait $!; echo $?"));
        assertEquals("127\n", sh("nginx", "wait 99999; echo $?"));
    }

    @Test
    void aTrappedSignalInterruptsWaitAndRunsItsAction() {
        out.setLength(0);
        io.exit = null;
        ExecProcess p = start("busybox", List.of("sh", "-c", "trap 'echo got TERM; exit 0' TERM; sleep 3600 & wait; echo never"),
                false, false);
        assertTrue(p.signal("TERM"), "the script traps TERM");
        assertEquals("got TERM\n", out.toString());
        assertEquals(0, io.exit);
        ExecProcess untrapped = start("busybox", List.of("sh", "-c", "sleep 3600"), false, false);
        assertFalse(untrapped.signal("TERM"), "no trap: the signal is the default's (ignored by a PID 1)");
    }
}
