package kubefake.server.printers;

/**
 * A {@code conditions[]} entry of a Table row ({@code type} is always {@code Completed} today:
 * the API server marks rows of succeeded and failed pods with it).
 */
public record RowCondition(String type, String status, String reason, String message) {
}
