package kubefake.nodesim.runtime.shell;

import java.util.List;

/** A parsed shell program: the POSIX shell grammar's commands, as {@link Parser} builds them. */
sealed interface Node {
    /** Commands run one after another ({@code ;} or newlines). */
    record Sequence(List<Node> commands) implements Node {
    }

    /** {@code cmd &}: started, not waited for. */
    record Background(Node command) implements Node {
    }

    /** {@code left && right}. */
    record And(Node left, Node right) implements Node {
    }

    /** {@code left || right}. */
    record Or(Node left, Node right) implements Node {
    }

    /** {@code ! pipeline}. */
    record Not(Node command) implements Node {
    }

    /** {@code a | b | c}. */
    record Pipeline(List<Node> stages) implements Node {
    }

    /** {@code NAME=value ... word ... redirections}, on script line {@code line}. */
    record Simple(List<Assignment> assignments, List<Word> words, List<Redirect> redirects, int line) implements Node {
    }

    /** A compound command with redirections after it ({@code { ...; } > file}, {@code done < file}). */
    record Redirected(Node command, List<Redirect> redirects, int line) implements Node {
    }

    /** {@code { list; }}. */
    record Group(Node body) implements Node {
    }

    /** {@code ( list )}: in a copy of the shell's state. */
    record Subshell(Node body) implements Node {
    }

    /** {@code if c; then a; elif ...; else b; fi} ({@code elif} as a nested If in otherwise; otherwise may be null). */
    record If(Node condition, Node then, Node otherwise) implements Node {
    }

    /** {@code for name in words; do body; done}; words null: the positional parameters. */
    record For(String name, List<Word> words, Node body) implements Node {
    }

    /** {@code while c; do body; done}, or {@code until} when until. */
    record Loop(Node condition, Node body, boolean until) implements Node {
    }

    /** {@code case word in pattern|pattern) body;; ... esac}. */
    record Case(Word word, List<Arm> arms) implements Node {
    }

    record Arm(List<Word> patterns, Node body) {
    }

    /** {@code name() compound-command}. */
    record Function(String name, Node body) implements Node {
    }

    /** {@code NAME=value} before a command. */
    record Assignment(String name, Word value) {
    }

    /**
     * A redirection of descriptor {@code fd}: {@code op} is {@code <}, {@code >}, {@code >>}, {@code >|}, {@code <>},
     * {@code >&}, {@code <&} or {@code <<} (a here-document: target is its body, expanded unless its delimiter was quoted).
     */
    record Redirect(int fd, String op, Word target) {
    }
}
