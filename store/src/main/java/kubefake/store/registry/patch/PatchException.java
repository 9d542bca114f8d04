package kubefake.store.registry.patch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A patch the API server refuses, carrying what goes into the {@code metav1.Status} it answers with.
 *
 * <p>The real server maps patch failures to HTTP codes in {@code apiserver/pkg/endpoints/handlers/patch.go};
 * each factory below names the case it stands for. {@link #reason()} is the Status reason ({@code ""} where the
 * real server sends none, which kubectl prints as {@code Error from server: <message>}); {@link #getMessage()} is
 * the Status message word for word; {@link #detail()} is the engine's own explanation, which the real server
 * hides behind a generic message in some cases (worth logging, not sending).
 */
public final class PatchException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String detail;

    private PatchException(int code, String reason, String message, String detail) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.detail = detail;
    }

    /** HTTP status code of the answer (400, 413, 415, 422 or 500). */
    public int code() {
        return code;
    }

    /** The Status {@code reason}: {@code BadRequest}, {@code Invalid}, ..., or {@code ""} for none. */
    public String reason() {
        return reason;
    }

    /** What went wrong in the engine's own words; equals the message unless the server hides it. */
    public String detail() {
        return detail;
    }

    /** 400 BadRequest with the message as given: undecodable patches and malformed directives. */
    static PatchException badRequest(String message) {
        return new PatchException(400, "BadRequest", message, message);
    }

    /**
     * 422 Invalid for a JSON patch (or strategic merge patch) that cannot be applied. Like the real server
     * ({@code errors.NewGenericServerResponse(422, "", GroupResource{}, "", err.Error(), 0, false)} in
     * {@code handlers/patch.go}) the message is the generic one and the Status carries empty details (the
     * {@code false} means no cause); the engine's explanation is only in {@link #detail()}.
     */
    static PatchException unprocessable(String detail) {
        return new PatchException(422, "Invalid", "the server rejected our request due to an error in our request",
                detail);
    }

    /**
     * 500 without a reason: strategic merge patch errors that the real server does not classify reach the
     * client as a plain error Status with the error text as message.
     */
    static PatchException internal(String message) {
        return new PatchException(500, "", message, message);
    }

    /** 413 for JSON patches with more operations than the server allows ({@code NewRequestEntityTooLargeError}). */
    static PatchException tooManyOperations(int limit, int count) {
        String detail = "The allowed maximum operations in a JSON patch is " + limit + ", got " + count;
        return new PatchException(413, "RequestEntityTooLarge", "Request entity too large: " + detail, detail);
    }

    /**
     * 415 for a PATCH whose Content-Type the resource does not accept (for example a strategic merge patch
     * on a custom resource), listing the accepted types as the real server does.
     */
    public static PatchException unsupportedMediaType(List<PatchType> accepted) {
        String message = "the body of the request was in an unknown format - accepted media types include: "
                + accepted.stream().map(PatchType::contentType).collect(Collectors.joining(", "));
        return new PatchException(415, "UnsupportedMediaType", message, message);
    }

    @Override
    public String toString() {
        return "PatchException[" + code + " " + reason + "]: " + getMessage()
                + (detail.equals(getMessage()) ? "" : " (" + detail + ")");
    }
}
