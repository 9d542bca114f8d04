package kubefake.store.registry.cel;

/** An expression that does not compile; the message is cel-go's issue text. */
public final class CelCompileException extends Exception {
    public CelCompileException(String issues) {
        super(issues, null, false, false);
    }
}
