package org.pimopt.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.pimopt.plan.Layout;

/**
 * With a layout, crossbars by site ({@code core * crossbarsPerCore + crossbar}): which partitions
 * place a tile on each, which replicas use it in partition order, which crossbar each write task
 * writes and which crossbars each replica uses. Programming reads it to order writes after the
 * crossbar's previous user; the programming check to catch a replica on a crossbar holding another
 * tile. Empty without a layout.
 */
final class CrossbarSites {
    private final int perCore;
    /** The partitions placing a tile on each crossbar. */
    private final Map<Integer, TreeSet<Integer>> partitionsOfSite = new HashMap<>();
    /** Per crossbar, the replica resources using it, in partition order. */
    final Map<Integer, List<Integer>> usersOfSite = new HashMap<>();
    /** The crossbar of each write task. */
    final Map<Integer, Integer> siteOfWrite = new HashMap<>();
    /** The crossbars of each replica resource. */
    final Map<Integer, int[]> sitesOfReplica = new HashMap<>();

    CrossbarSites(int perCore) {
        this.perCore = perCore;
    }

    int site(int core, int crossbar) {
        return core * perCore + crossbar;
    }

    String name(int site) {
        return (site % perCore) + " of core " + (site / perCore);
    }

    /** Records the partitions placing a tile on each crossbar, before any partition is built. */
    void recordPartitions(Layout layout) {
        for (int p = 0; p < layout.partitions().size(); p++) {
            for (Layout.Tile t : layout.partitions().get(p).tiles()) {
                partitionsOfSite.computeIfAbsent(site(t.core(), t.crossbar()), x -> new TreeSet<>()).add(p);
            }
        }
    }

    /** Records replica {@code res} on crossbar {@code site}, after the replicas of earlier partitions. */
    void addUser(int site, int res) {
        usersOfSite.computeIfAbsent(site, x -> new ArrayList<>()).add(res);
    }

    /** The partition that used crossbar {@code site} last before partition {@code p}, cyclically ({@code p} if no other). */
    int previousUser(int site, int p) {
        TreeSet<Integer> users = partitionsOfSite.get(site);
        Integer q = users.lower(p);
        return q != null ? q : users.last();
    }
}
