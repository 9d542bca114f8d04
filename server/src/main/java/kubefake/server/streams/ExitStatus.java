package kubefake.server.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How an exec ended, as the kubelet reports it on the error stream: Success; NonZeroExitCode with the code as an
 * ExitCode cause (kubectl prints {@code command terminated with exit code N} and exits N); or another failure whose
 * message kubectl prints. Protocols from v4 on carry the Status as JSON (Go's field order, no kind); older ones carry
 * only the message of a failure.
 */
record ExitStatus(boolean success, String message, String reason, int exitCode, int code) {

    static ExitStatus exited(int exitCode, List<String> command) {
        if (exitCode == 0) return new ExitStatus(true, "", "", 0, 0);
        // containerd's error for a non-zero exit, inside the kubelet's
        return new ExitStatus(false, "command terminated with non-zero exit code: error executing command "
                + "[" + String.join(" ", command) + "], exit code " + exitCode, "NonZeroExitCode", exitCode, 0);
    }

    /** A failure of the runtime (the process could not start): an InternalError Status. */
    static ExitStatus internalError(String message) {
        return new ExitStatus(false, "Internal error occurred: error executing command in container: " + message,
                "InternalError", -1, 500);
    }

    byte[] json() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.putObject("metadata");
        s.put("status", success ? "Success" : "Failure");
        if (success) return Json.bytes(s);
        s.put("message", message);
        s.put("reason", reason);
        ObjectNode details = s.putObject("details");
        if (exitCode >= 0) {
            ObjectNode cause = details.putArray("causes").addObject();
            cause.put("reason", "ExitCode").put("message", Integer.toString(exitCode));
        } else {
            ObjectNode cause = details.putArray("causes").addObject();
            cause.put("message", message.substring("Internal error occurred: ".length()));
        }
        if (code != 0) s.put("code", code);
        return Json.bytes(s);
    }

    /** What channel.k8s.io (v1 to v3) writes: nothing for success, else the message. */
    byte[] text() {
        return success ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
    }
}
