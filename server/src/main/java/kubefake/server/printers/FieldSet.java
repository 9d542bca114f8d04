package kubefake.server.printers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of an object a printer reads: either a value whole, or only some members of an object (for an array,
 * of each of its objects). A list's Table reads each stored object into a tree of just these fields, so a printer
 * that declares them is not handed (nor made to wait for the parse of) what it never looks at.
 */
public final class FieldSet {
    /** The value whole. */
    public static final FieldSet WHOLE = new FieldSet(null);
    /** No member at all (an array's length is still kept: each object becomes an empty object). */
    public static final FieldSet NONE = new FieldSet(Map.of());

    private final Map<String, FieldSet> members;

    private FieldSet(Map<String, FieldSet> members) {
        this.members = members;
    }

    /** Only these members: names, each followed by its FieldSet ({@code "spec", FieldSet.of(...), "status", WHOLE}). */
    public static FieldSet of(Object... namesAndSets) {
        Map<String, FieldSet> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSets.length; i += 2) members.put((String) namesAndSets[i], (FieldSet) namesAndSets[i + 1]);
        return new FieldSet(Map.copyOf(members));
    }

    public boolean whole() {
        return members == null;
    }

    /** What is read of this member; null if nothing. */
    public FieldSet member(String name) {
        return members == null ? WHOLE : members.get(name);
    }
}
