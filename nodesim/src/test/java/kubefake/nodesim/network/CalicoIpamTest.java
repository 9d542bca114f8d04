package kubefake.nodesim.network;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalicoIpamTest {
    @Test
    void aNodesTunnelTakesItsBlocksFirstAddressAndPodsTheNextOnes() {
        CalicoIpam ipam = new CalicoIpam(Ipv4Cidr.parse("172.16.0.0/16"));
        assertEquals("172.16.221.128", ipam.registerNode("w1-k8s", Ipv4Cidr.parse("172.16.221.128/26")));
        assertEquals("172.16.221.128", ipam.registerNode("w1-k8s", null), "registering again changes nothing");
        assertEquals("172.16.221.129", ipam.allocate("w1-k8s"));
        assertEquals("172.16.221.130", ipam.allocate("w1-k8s"));
        ipam.release("172.16.221.129");
        assertEquals("172.16.221.129", ipam.allocate("w1-k8s"), "a released address is used again");
        assertThrows(IllegalArgumentException.class, () -> ipam.registerNode("w2-k8s", Ipv4Cidr.parse("172.16.221.128/26")));
        assertThrows(IllegalArgumentException.class, () -> ipam.registerNode("w3-k8s", Ipv4Cidr.parse("10.0.0.0/26")));
    }

    @Test
    void anAddressAPodAlreadyHasIsReservedAndNotHandedOutAgain() {
        CalicoIpam ipam = new CalicoIpam(Ipv4Cidr.parse("172.16.0.0/16"));
        ipam.registerNode("w1-k8s", Ipv4Cidr.parse("172.16.221.128/26"));
        assertEquals(true, ipam.reserve("w1-k8s", "172.16.221.129"));
        assertEquals(false, ipam.reserve("w1-k8s", "172.16.221.129"));
        assertEquals(false, ipam.reserve("w1-k8s", "10.0.0.1"));
        assertEquals(false, ipam.reserve("w1-k8s", "not an address"));
        assertEquals("172.16.221.130", ipam.allocate("w1-k8s"));
        // an address in a block no node holds yet: the block becomes the node's
        assertEquals(true, ipam.reserve("w2-k8s", "172.16.5.10"));
        assertEquals(java.util.Optional.of("w2-k8s"), ipam.nodeOf("172.16.5.0/26"));
    }

    @Test
    void aFullBlockBringsAnotherAndAddressesStayUnique() {
        CalicoIpam ipam = new CalicoIpam(Ipv4Cidr.parse("172.16.0.0/16"));
        ipam.registerNode("w1-k8s", null);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 110; i++) assertTrue(seen.add(ipam.allocate("w1-k8s")));
        assertEquals(2, ipam.blocks("w1-k8s").size(), "110 pods need a second /26");
        assertEquals(111, ipam.inUse());
    }

    @Test
    void whenNoBlockIsLeftAddressesAreBorrowedThenExhausted() {
        CalicoIpam ipam = new CalicoIpam(Ipv4Cidr.parse("10.1.0.0/25")); // two blocks
        ipam.registerNode("a", null);
        ipam.registerNode("b", null);
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 126; i++) all.add(ipam.allocate(i % 2 == 0 ? "a" : "b"));
        assertEquals(126, all.size());
        assertThrows(CalicoIpam.IpamExhaustedException.class, () -> ipam.allocate("a"));
        assertThrows(CalicoIpam.IpamExhaustedException.class, () -> ipam.registerNode("c", null));
        assertEquals(1, ipam.blocks("a").size());
    }
}
