package kubefake.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.request.Warnings;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import kubefake.store.registry.fieldvalidation.FieldValidation.Directive;
import kubefake.store.registry.fieldvalidation.FieldValidation.PatchProblems;
import kubefake.store.registry.patch.PatchType;

import java.util.List;

/**
 * The request's fieldValidation directive applied to what decoding found (unknown and duplicate fields):
 * Strict refuses the request, Warn answers with Warning headers, Ignore says nothing; the unknown fields are never
 * stored, as decoding into the Go types drops them.
 */
final class FieldValidationPolicy {
    private final Directive directive;
    private final ResourceType type;
    private final Warnings warnings;

    /** @param warnings where Warn's texts go (the request's, answered as Warning headers) */
    FieldValidationPolicy(Directive directive, ResourceType type, Warnings warnings) {
        this.directive = directive;
        this.type = type;
        this.warnings = warnings;
    }

    /** A create or update body: 400 under Strict when it has problems. */
    void checkBody(ObjectNode object, List<String> problems) {
        if (!problems.isEmpty()) {
            if (directive == Directive.STRICT) throw FieldValidation.strictError(type.kind(), type.version(), problems);
            if (directive == Directive.WARN) warnings.addAll(FieldValidation.warnings(problems));
        }
        FieldValidation.dropUnknownFields(object, type.group(), type.version(), type.kind());
    }

    /** A patch body as the patch handler decodes it before applying it: 400 when a value does not fit. */
    void checkPatchBody(PatchType patchType, byte[] body) {
        FieldValidation.decodePatchBody(patchType, body, directive);
    }

    /** A patch's result: 422 when it does not decode into the Go type, or for its problems under Strict. */
    void checkPatch(PatchProblems problems, ObjectNode patched) {
        if (problems.decodeError() != null) throw FieldValidation.patchDecodeFailure(problems);
        if (directive != Directive.IGNORE && !problems.problems().isEmpty()) {
            if (directive == Directive.STRICT) throw FieldValidation.strictPatchError(problems);
            warnings.addAll(FieldValidation.warnings(problems.problems()));
        }
        FieldValidation.dropUnknownFields(patched, type.group(), type.version(), type.kind());
    }
}
