package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Every resource's Table printer, the way the real API server prints it. Resources without a
 * printer of their own (roles, limit ranges, custom resource definitions, unknown resources...)
 * get the server's default table: {@code Name} and {@code Created At}.
 */
public final class TablePrinters {

    /** Where the catalogues put their printers. */
    @FunctionalInterface
    interface Registry {
        void add(String group, String resource, TablePrinter printer);
    }

    private static final Map<String, TablePrinter> PRINTERS = new HashMap<>();

    static {
        Registry registry = (group, resource, printer) -> PRINTERS.put(key(group, resource), printer);
        CorePrinters.register(registry);
        WorkloadPrinters.register(registry);
        NetworkingPrinters.register(registry);
        StoragePrinters.register(registry);
        AccessPrinters.register(registry);
        ControlPlanePrinters.register(registry);
    }

    private TablePrinters() {
    }

    /**
     * The printer of a resource.
     *
     * @param group    the API group, {@code ""} for the core group
     * @param resource the plural resource name, e.g. {@code pods}, {@code deployments}
     */
    public static TablePrinter forResource(String group, String resource) {
        return PRINTERS.getOrDefault(key(group, resource), DefaultPrinter.INSTANCE);
    }

    /**
     * The printer of a custom resource, from the {@code additionalPrinterColumns} of the CRD
     * version it is served at ({@code null} or empty: Name and Age).
     */
    public static TablePrinter forCustomResource(JsonNode additionalPrinterColumns) {
        return new CustomResourcePrinter(additionalPrinterColumns);
    }

    /** The API server's table for resources without a printer: Name and Created At. */
    public static TablePrinter defaultPrinter() {
        return DefaultPrinter.INSTANCE;
    }

    /** Whether the resource has a printer of its own rather than the default one. */
    public static boolean hasPrinter(String group, String resource) {
        return PRINTERS.containsKey(key(group, resource));
    }

    private static String key(String group, String resource) {
        return (group == null ? "" : group) + "/" + resource;
    }
}
