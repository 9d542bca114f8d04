package kubefake.store.fieldmanager;

import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fields an apply would take from other managers, and the 409 the real server answers for them. */
final class ApplyConflicts {
    private ApplyConflicts() {
    }

    /** Every (manager, path) of the conflicting sets, managers in the order of their names. */
    static List<Map.Entry<ManagerKey, List<PathElementPath>>> list(Map<ManagerKey, FieldSet> conflicts) {
        TreeMap<String, Map.Entry<ManagerKey, List<PathElementPath>>> byName = new TreeMap<>();
        conflicts.forEach((k, set) -> {
            List<PathElementPath> paths = new ArrayList<>();
            set.forEach(p -> paths.add(new PathElementPath(p)));
            byName.put(k.display() + "\u0000" + k.hashCode(), Map.entry(k, paths));
        });
        return new ArrayList<>(byName.values());
    }

    record PathElementPath(List<PathElement> path) {
        @Override
        public String toString() {
            return PathElement.display(path);
        }
    }

    static StatusException error(Map<ManagerKey, FieldSet> conflicts) {
        List<Map.Entry<ManagerKey, List<PathElementPath>>> all = list(conflicts);
        List<Cause> causes = new ArrayList<>();
        int count = 0;
        for (Map.Entry<ManagerKey, List<PathElementPath>> e : all) {
            for (PathElementPath p : e.getValue()) {
                causes.add(new Cause("FieldManagerConflict", "conflict with " + e.getKey().display(), p.toString()));
                count++;
            }
        }
        String message;
        if (count == 1) {
            message = "Apply failed with 1 conflict: " + causes.get(0).message() + ": " + causes.get(0).field();
        } else {
            List<String> lines = new ArrayList<>();
            for (Map.Entry<ManagerKey, List<PathElementPath>> e : all) {
                lines.add("conflicts with " + e.getKey().display() + ":");
                e.getValue().forEach(p -> lines.add("- " + p));
            }
            message = "Apply failed with " + count + " conflicts: " + String.join("\n", lines);
        }
        return new StatusException(409, "Conflict", message, new StatusDetails("", "", "", "", causes, 0));
    }
}
