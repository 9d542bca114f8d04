package kubefake.nodesim.network;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calico's IP address management as the lab's pods see it: the pool (kubeadm's {@code --pod-network-cidr},
 * 172.16.0.0/16) is cut into /26 blocks; each node claims a block by affinity (w1-k8s 172.16.221.128/26), its IPIP
 * tunnel takes the block's first address and its pods the next free ones (.129, .130 ...). A node whose blocks are
 * full claims another free block; when no block is free an address is borrowed from another node's block (Calico's
 * default, {@code strictAffinity: false}). Addresses are unique and come back when released.
 *
 * <p>Thread-safe: every kubelet of the cluster shares one.
 */
public final class CalicoIpam {
    /** Calico's default block size for IPv4. */
    public static final int BLOCK_PREFIX = 26;

    private final Ipv4Cidr pool;
    private final int blockCount;
    private final Block[] blocks;
    private final Map<String, List<Block>> byNode = new HashMap<>();
    private final Map<Long, Block> allocated = new HashMap<>();

    private static final class Block {
        final Ipv4Cidr cidr;
        final BitSet used = new BitSet();
        String node;
        int free;

        Block(Ipv4Cidr cidr) {
            this.cidr = cidr;
            this.free = (int) cidr.size();
        }
    }

    public CalicoIpam(Ipv4Cidr pool) {
        if (pool.prefix() > BLOCK_PREFIX) throw new IllegalArgumentException("pod CIDR " + pool + " is smaller than one /" + BLOCK_PREFIX + " block");
        if (pool.prefix() < 8) throw new IllegalArgumentException("pod CIDR " + pool + " is larger than a /8");
        this.pool = pool;
        this.blockCount = 1 << (BLOCK_PREFIX - pool.prefix());
        this.blocks = new Block[blockCount];
    }

    public Ipv4Cidr pool() {
        return pool;
    }

    /**
     * Gives a node its first block: {@code preferred} when given (and free), else one chosen from the node's name so
     * that a cluster of the same shape gets the same blocks every time. Returns the node's IPIP tunnel address (the
     * block's first address). Idempotent.
     */
    public synchronized String registerNode(String node, Ipv4Cidr preferred) {
        List<Block> owned = byNode.get(node);
        if (owned != null && !owned.isEmpty()) return Ipv4Cidr.format(owned.get(0).cidr.base());
        Block block = null;
        if (preferred != null) {
            if (preferred.prefix() != BLOCK_PREFIX || !pool.contains(preferred)) {
                throw new IllegalArgumentException("block " + preferred + " of node " + node + " is not a /" + BLOCK_PREFIX + " of " + pool);
            }
            Block b = block(indexOf(preferred.base()));
            if (b.node != null) throw new IllegalArgumentException("block " + preferred + " of node " + node + " already belongs to " + b.node);
            block = b;
        }
        if (block == null) block = freeBlock(Math.floorMod(node.hashCode() * 0x9E3779B1, blockCount));
        if (block == null) throw new IpamExhaustedException("no free /" + BLOCK_PREFIX + " block left in " + pool + " for node " + node);
        claim(node, block);
        long tunnel = block.cidr.base();
        take(block, 0, tunnel);
        return Ipv4Cidr.format(tunnel);
    }

    /** The blocks a node holds, in the order it claimed them. */
    public synchronized List<String> blocks(String node) {
        List<String> out = new ArrayList<>();
        for (Block b : byNode.getOrDefault(node, List.of())) out.add(b.cidr.toString());
        return out;
    }

    /** An address for a pod on the node: from its blocks, a newly claimed block, or borrowed from another node's. */
    public synchronized String allocate(String node) {
        for (Block b : byNode.getOrDefault(node, List.of())) {
            if (b.free > 0) return allocateIn(b);
        }
        Block fresh = freeBlock(Math.floorMod(node.hashCode() * 0x9E3779B1, blockCount));
        if (fresh != null) {
            claim(node, fresh);
            return allocateIn(fresh);
        }
        for (Block b : blocks) {
            if (b != null && b.free > 0) return allocateIn(b);
        }
        throw new IpamExhaustedException("no more free IPs in the pool " + pool);
    }

    /**
     * Takes an address a pod already has (a pod found running after a restart on a recovered store), so that it is not
     * handed out again; its block becomes the node's if no node holds it. False when the address is outside the pool
     * or already taken.
     */
    public synchronized boolean reserve(String node, String address) {
        long a;
        try {
            a = Ipv4Cidr.parseAddress(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!pool.contains(a) || allocated.containsKey(a)) return false;
        Block b = block(indexOf(a));
        if (b.node == null) claim(node, b);
        take(b, (int) (a - b.cidr.base()), a);
        return true;
    }

    /** Gives an address back (unknown addresses are ignored: released twice, or never from this pool). */
    public synchronized void release(String address) {
        long a;
        try {
            a = Ipv4Cidr.parseAddress(address);
        } catch (IllegalArgumentException e) {
            return;
        }
        Block b = allocated.remove(a);
        if (b == null) return;
        b.used.clear((int) (a - b.cidr.base()));
        b.free++;
    }

    /** How many addresses are in use (tunnels included). */
    public synchronized int inUse() {
        return allocated.size();
    }

    public synchronized Optional<String> nodeOf(String blockCidr) {
        Ipv4Cidr c = Ipv4Cidr.parse(blockCidr);
        if (!pool.contains(c)) return Optional.empty();
        Block b = blocks[indexOf(c.base())];
        return b == null ? Optional.empty() : Optional.ofNullable(b.node);
    }

    private String allocateIn(Block b) {
        int offset = b.used.nextClearBit(0);
        long address = b.cidr.base() + offset;
        take(b, offset, address);
        return Ipv4Cidr.format(address);
    }

    private void take(Block b, int offset, long address) {
        b.used.set(offset);
        b.free--;
        allocated.put(address, b);
    }

    private void claim(String node, Block b) {
        b.node = node;
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(b);
    }

    private Block freeBlock(int start) {
        for (int i = 0; i < blockCount; i++) {
            Block b = block((start + i) % blockCount);
            if (b.node == null) return b;
        }
        return null;
    }

    private int indexOf(long address) {
        return (int) ((address - pool.base()) >> (32 - BLOCK_PREFIX));
    }

    private Block block(int index) {
        Block b = blocks[index];
        if (b == null) {
            b = new Block(new Ipv4Cidr(pool.base() + ((long) index << (32 - BLOCK_PREFIX)), BLOCK_PREFIX));
            blocks[index] = b;
        }
        return b;
    }

    /** The pool has no address left: the pod's sandbox cannot get its network. */
    public static final class IpamExhaustedException extends RuntimeException {
        public IpamExhaustedException(String message) {
            super(message);
        }
    }

    @Override
    public synchronized String toString() {
        Map<String, List<String>> shown = new LinkedHashMap<>();
        byNode.forEach((n, bs) -> shown.put(n, bs.stream().map(b -> b.cidr.toString()).toList()));
        return "CalicoIpam[" + pool + ", " + shown + "]";
    }
}
