package kubefake.server.printers;

/** TEMPORARY stub until the printers branch lands. */
public record Column(String name, String type, String format, String description, int priority) {
}
