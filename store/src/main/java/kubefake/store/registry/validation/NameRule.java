package kubefake.store.registry.validation;

import java.util.List;

/** How a kind's names are checked ({@code prefix} true for a generateName prefix). */
@FunctionalInterface
public interface NameRule {

    /** The problems with the name, empty when valid. */
    List<String> check(String name, boolean prefix);

    /** Most kinds: DNS-1123 subdomain. */
    NameRule DNS_SUBDOMAIN = Formats::nameIsDNSSubdomain;
    /** Namespaces, StatefulSets: DNS-1123 label. */
    NameRule DNS_LABEL = Formats::nameIsDNSLabel;
    /** Services: DNS-1035 label. */
    NameRule DNS1035_LABEL = Formats::nameIsDNS1035Label;
    /** RBAC kinds: any path segment. */
    NameRule PATH_SEGMENT = Formats::isValidPathSegmentName;
}
