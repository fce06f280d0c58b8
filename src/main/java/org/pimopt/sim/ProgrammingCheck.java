package org.pimopt.sim;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * As the plan runs: no MVM of a replica starts while a write to its crossbars is still pending.
 * With a layout, per crossbar: a replica starts only when every crossbar it uses holds its tile
 * (the last write there was its own; at the start of the period a crossbar holds the tile of
 * the last partition using it), and a crossbar is written only when the replica that used it
 * before has no MVM left. The simulator's own runtime check, independent of the Validator.
 */
final class ProgrammingCheck implements EventEngine.Listener {
    private final TaskGraph graph;
    private final EventEngine engine;
    private final int[] writesLeft;
    private final int[] mvmsLeft;
    private final boolean[] checked;
    private final Map<Integer, Integer> holder = new HashMap<>();
    private final Map<Integer, Integer> writing = new HashMap<>();
    /** The first replica used before its writes were done, or null. */
    private String violation;
    /** With a layout: the first crossbar used or written out of turn, or null. */
    private String siteViolation;

    /** Made once every task is built: it counts the writes and MVMs of each replica. */
    ProgrammingCheck(TaskGraph graph) {
        this.graph = graph;
        this.engine = graph.engine;
        writesLeft = new int[engine.resourceCount()];
        mvmsLeft = new int[engine.resourceCount()];
        checked = new boolean[engine.resourceCount()];
        graph.replicas.writes.forEach((res, writes) -> writesLeft[res] = writes.size());
        for (int t = 0; t < engine.tasks(); t++) {
            if (engine.kind(t) == Timeline.MVM) {
                mvmsLeft[engine.resource(t)]++;
            }
        }
        graph.sites.usersOfSite.forEach((site, users) -> holder.put(site, users.get(users.size() - 1)));
    }

    /** What to report: a replica used before its writes ended if any, else a crossbar used or written out of turn; null if none. */
    String violation() {
        return violation != null ? violation : siteViolation;
    }

    @Override
    public void started(int t, double now) {
        Replicas replicas = graph.replicas;
        CrossbarSites sites = graph.sites;
        if (engine.kind(t) == Timeline.MVM && writesLeft[engine.resource(t)] > 0 && violation == null) {
            violation = String.format(Locale.ROOT, "%s used at %.1f ns before its crossbars were programmed"
                    + " (%d crossbar writes pending)", replicas.label.get(engine.resource(t)), now - graph.originNs,
                    writesLeft[engine.resource(t)]);
        }
        if (graph.layout == null || siteViolation != null) {
            return;
        }
        if (engine.kind(t) == Timeline.MVM && !checked[engine.resource(t)]) {
            int res = engine.resource(t);
            checked[res] = true;
            for (int site : sites.sitesOfReplica.getOrDefault(res, new int[0])) {
                Integer w = writing.get(site);
                if (w != null || holder.get(site) != res) {
                    siteViolation = String.format(Locale.ROOT,
                            "partition %d uses crossbar %s at %.1f ns while it %s (%s)", replicas.partition.get(res),
                            sites.name(site), now - graph.originNs, w != null
                                    ? "is being written for partition " + engine.partition(w)
                                    : "holds a tile of partition " + replicas.partition.get(holder.get(site)),
                            replicas.label.get(res));
                    return;
                }
            }
        }
        if (engine.kind(t) == Timeline.WRITE) {
            int site = sites.siteOfWrite.get(t);
            int before = holder.get(site);
            if (replicas.partition.get(before) < engine.partition(t) && mvmsLeft[before] > 0) {
                siteViolation = String.format(Locale.ROOT,
                        "crossbar %s is written for partition %d at %.1f ns while partition %d still uses it (%s, %d MVM tasks left)",
                        sites.name(site), engine.partition(t), now - graph.originNs, replicas.partition.get(before),
                        replicas.label.get(before), mvmsLeft[before]);
                return;
            }
            writing.put(site, t);
        }
    }

    @Override
    public void finished(int t, double now) {
        if (engine.kind(t) == Timeline.WRITE) {
            writesLeft[engine.tag(t)]--;
            Integer site = graph.sites.siteOfWrite.get(t);
            if (site != null) {
                writing.remove(site);
                holder.put(site, engine.tag(t));
            }
        } else if (engine.kind(t) == Timeline.MVM) {
            mvmsLeft[engine.resource(t)]--;
        }
    }
}
