package kubefake.server.streams;

import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.StatusException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code pods/log} request's options (core/v1 PodLogOptions), as read from the query.
 *
 * @param tailLines    null: every line
 * @param sinceSeconds null: from the start
 * @param sinceTime    null: from the start
 * @param limitBytes   null: no limit
 */
public record PodLogOptions(String container, boolean follow, boolean previous, boolean timestamps, Long tailLines,
                            Long sinceSeconds, Instant sinceTime, Long limitBytes) {

    /** ValidatePodLogOptions: 422 {@code PodLogOptions "<pod>" is invalid: ...}. */
    public void validate(String podName) {
        List<FieldError> errs = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            errs.add(FieldError.invalid(FieldPath.of("tailLines"), tailLines, "must be greater than or equal to 0"));
        }
        if (limitBytes != null && limitBytes < 1) {
            errs.add(FieldError.invalid(FieldPath.of("limitBytes"), limitBytes, "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            errs.add(FieldError.forbidden(FieldPath.of(""), "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            errs.add(FieldError.invalid(FieldPath.of("sinceSeconds"), sinceSeconds, "must be greater than 0"));
        }
        if (!errs.isEmpty()) {
            throw StatusException.invalid("", "PodLogOptions", podName, errs.stream().map(FieldError::toCause).toList());
        }
    }

    /** The kubelet's start of the log: the later of now - sinceSeconds and sinceTime (null: the beginning). */
    Instant since(Instant now) {
        Instant since = sinceSeconds == null ? null : now.minusSeconds(sinceSeconds);
        if (sinceTime != null && (since == null || sinceTime.isAfter(since))) since = sinceTime;
        return since;
    }
}
