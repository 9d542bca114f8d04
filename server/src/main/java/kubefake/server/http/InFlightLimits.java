package kubefake.server.http;

import kubefake.store.registry.request.UserInfo;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * kube-apiserver's max-in-flight filter: at most {@code --max-requests-inflight} read-only and
 * {@code --max-mutating-requests-inflight} mutating requests at once (zero: no limit); one more gets 429. A request
 * holds its slot from dispatch until its answer is written, so slow readers count too. Long-running requests and
 * health probes take no slot; a {@code system:masters} request over the limit is served without one, as the real
 * filter serves it ("a super-admin ... should always get an answer").
 */
final class InFlightLimits {
    static final String PRIVILEGED_GROUP = "system:masters";
    /** The filter's fixed retry hint. */
    static final String RETRY_AFTER = "1";

    private final int readOnlyLimit;
    private final int mutatingLimit;
    private final AtomicInteger readOnly = new AtomicInteger();
    private final AtomicInteger mutating = new AtomicInteger();

    InFlightLimits(int readOnlyLimit, int mutatingLimit) {
        this.readOnlyLimit = readOnlyLimit;
        this.mutatingLimit = mutatingLimit;
    }

    /** A slot for the request, or null when its kind is at its limit: answer {@link #tooManyRequests()}. */
    Slot acquire(RequestKind kind, UserInfo user) {
        AtomicInteger counter;
        int limit;
        switch (kind) {
            case READ_ONLY -> {
                counter = readOnly;
                limit = readOnlyLimit;
            }
            case MUTATING -> {
                counter = mutating;
                limit = mutatingLimit;
            }
            default -> {
                return Slot.NONE;
            }
        }
        if (limit == 0) return Slot.NONE;
        if (counter.incrementAndGet() <= limit) return new Slot(counter);
        counter.decrementAndGet();
        return user.groups().contains(PRIVILEGED_GROUP) ? Slot.NONE : null;
    }

    /** Requests of that kind holding a slot now. */
    int current(boolean mutatingKind) {
        return (mutatingKind ? mutating : readOnly).get();
    }

    /** The filter's answer: Go's http.Error text (not a Status), with Retry-After. */
    static Reply tooManyRequests() {
        return Reply.text(429, "Too many requests, please try again later.\n").header("Retry-After", RETRY_AFTER);
    }

    /** A request's place under a limit, given back once when its answer is written or abandoned (on its event loop). */
    static final class Slot {
        static final Slot NONE = new Slot(null);
        private final AtomicInteger counter;
        private boolean released;

        private Slot(AtomicInteger counter) {
            this.counter = counter;
        }

        void release() {
            if (counter == null || released) return;
            released = true;
            counter.decrementAndGet();
        }
    }
}
