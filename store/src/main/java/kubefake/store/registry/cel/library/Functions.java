package kubefake.store.registry.cel.library;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationExceptionBuilder;

/** What the libraries share: declaring a function, failing an evaluation with a message, Go's quoting, parse tests. */
final class Functions {
    private Functions() {
    }

    /** A text a library's parser refuses, with the message the real library gives. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    interface Parser {
        void parse(String s) throws Invalid;
    }

    static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }

    /** An evaluation error whose message the API server quotes as it is. */
    static CelEvaluationException error(String message) {
        return CelEvaluationExceptionBuilder.newBuilder("%s", message).build();
    }

    /** The {@code isX(string)} functions: whether the parser accepts the text. */
    static boolean parses(Parser parser, String s) {
        try {
            parser.parse(s);
            return true;
        } catch (Invalid e) {
            return false;
        }
    }

    /** Go's %q of a printable string. */
    static String goQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
