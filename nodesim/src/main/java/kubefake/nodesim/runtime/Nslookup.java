package kubefake.nodesim.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * BusyBox 1.36's {@code nslookup NAME [SERVER]}: it asks resolv.conf's first name server directly (no
 * {@code /etc/hosts}), an A and an AAAA query for a dotted name, or for a bare name one of each per search domain
 * (never the name alone, whatever ndots says); each answer is printed as it comes: its addresses, an empty line for
 * a name without IPv6 addresses, {@code ** server can't find NAME: NXDOMAIN} for a name that does not exist. The
 * cluster's DNS is authoritative for cluster.local. Status 1 when any query found nothing.
 */
final class Nslookup implements Program {
    @Override
    public Running run(Context context, List<String> args, Output out, IntConsumer done) {
        List<String> operands = args.stream().filter(a -> !a.startsWith("-")).toList();
        if (operands.isEmpty() || operands.size() > 2) {
            out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                    + "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n");
            done.accept(1);
            return null;
        }
        String name = operands.get(0);
        PodResolver resolver = context.resolver();
        List<String> servers = resolver.resolvConf("nameserver");
        String server = operands.size() == 2 ? operands.get(1) : servers.isEmpty() ? "127.0.0.1" : servers.get(0);
        List<String> names = new ArrayList<>();
        List<String> search = resolver.resolvConf("search");
        if (name.contains(".") || search.isEmpty()) names.add(name.replaceFirst("\\.$", ""));
        else for (String s : search) names.add(name + "." + s);
        StringBuilder b = new StringBuilder("Server:\t\t" + server + "\nAddress:\t" + server + ":53\n\n");
        int status = 0;
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (String n : names) {
                List<String> answer = context.network().query(n);
                if (answer == null) {
                    b.append("** server can't find ").append(n).append(": NXDOMAIN\n");
                    status = 1;
                } else if (!ipv6) {
                    for (String ip : answer) b.append("Name:\t").append(n).append("\nAddress: ").append(ip).append('\n');
                }
                b.append('\n');
            }
        }
        out.out(b.toString());
        done.accept(status);
        return null;
    }
}
