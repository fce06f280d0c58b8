package org.pimopt.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pimopt.cost.EnergyBreakdown;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.plan.Layout;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * What a finished simulation measured, read from the event engine's tasks: latency, energy by
 * kind, DRAM bytes and cells, per partition its start, programming and compute, per layer its work
 * and busy time, the crossbar written most, and utilisation. Apart from the rooms that build the
 * tasks ({@link Simulator}), so that building and counting are two rooms.
 */
final class Measurement {
    private final Instance instance;
    private final Plan plan;
    private final SimConfig config;
    private final Chip chip;
    private final EventEngine engine;
    private final double originNs;
    private final Map<Integer, Integer> crossbarsOfReplica;
    private final Map<Integer, int[]> coresOfReplica;
    private final Layout layout;
    private final Map<Integer, Integer> siteOfWrite;
    private final int dram;
    private final int writer;

    /** Reads a run whose engine has run: the inputs, the replicas, the written crossbars and the resources from {@code graph}. */
    Measurement(TaskGraph graph) {
        this.instance = graph.instance;
        this.plan = graph.plan;
        this.config = graph.config;
        this.chip = graph.chip;
        this.engine = graph.engine;
        this.originNs = graph.originNs;
        this.crossbarsOfReplica = graph.replicas.crossbars;
        this.coresOfReplica = graph.replicas.cores;
        this.layout = graph.layout;
        this.siteOfWrite = graph.sites.siteOfWrite;
        this.dram = graph.dram;
        this.writer = graph.writer;
    }

    /** The run's figures: every task's work counted once, partitions and layers timed from the engine's clock. */
    SimResult of(int k, int[] starts, int[] programmed, int[] ends, Placement[] placements, int[] core) {
        double latency = engine.finish(ends[k - 1]) - originNs;
        double mvms = 0;
        double cells = 0;
        double dramBytes = 0;
        double vectorOps = 0;
        double noc = 0;
        double crossbarBusy = 0;
        long[] partDram = new long[k];
        long[] partCells = new long[k];
        int layers = instance.network().layers().size();
        long[] layerMvms = new long[layers];
        long[] layerVector = new long[layers];
        double[] layerBusy = new double[layers];
        double[] layerFirst = new double[layers];
        double[] layerLast = new double[layers];
        boolean[] layerRan = new boolean[layers];
        Arrays.fill(layerFirst, Double.POSITIVE_INFINITY);
        List<double[]>[] coreBusy = coreIntervals();
        for (int t = 0; t < engine.tasks(); t++) {
            double a = engine.amount(t);
            int p = engine.partition(t);
            switch (engine.kind(t)) {
                case Timeline.MVM -> {
                    mvms += a;
                    crossbarBusy += engine.duration(t) * crossbarsOfReplica.get(engine.resource(t));
                    for (int c : coresOfReplica.get(engine.resource(t))) {
                        coreBusy[c].add(new double[] {engine.start(t), engine.finish(t)});
                    }
                    layerMvms[engine.tag(t)] += (long) a;
                }
                case Timeline.WRITE -> {
                    cells += a;
                    partCells[p] += (long) a;
                }
                case Timeline.FETCH, Timeline.LOAD, Timeline.STORE, Timeline.IO -> {
                    dramBytes += a;
                    partDram[p] += (long) a;
                }
                case Timeline.VECTOR -> {
                    vectorOps += a;
                    if (engine.tag(t) < 0) {
                        continue;   // the model's fused vector stage: no layer of its own
                    }
                    layerVector[engine.tag(t)] += (long) a;
                }
                case Timeline.NOC -> noc += a;
                default -> {
                    continue;
                }
            }
            int tag = engine.tag(t);
            byte kind = engine.kind(t);
            if (kind == Timeline.MVM || kind == Timeline.VECTOR) {
                layerRan[tag] = true;
                layerBusy[tag] += engine.duration(t);
                layerFirst[tag] = Math.min(layerFirst[tag], engine.start(t) - originNs);
                layerLast[tag] = Math.max(layerLast[tag], engine.finish(t) - originNs);
            }
        }
        double coreBusySum = 0;
        for (List<double[]> intervals : coreBusy) {
            coreBusySum += union(intervals);
        }
        EnergyBreakdown energy = new EnergyBreakdown(mvms * chip.mvmEnergyPj(), cells * chip.writeEnergyPjPerCell(),
                dramBytes * chip.dramPjPerByte(), vectorOps * chip.vectorPjPerOp(), noc * chip.pjPerByteHop(),
                chip.staticPowerW() * latency * 1e3);
        List<SimResult.PartitionStats> parts = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            double start = engine.finish(starts[p]) - originNs;
            double prog = engine.finish(programmed[p]) - originNs;
            parts.add(new SimResult.PartitionStats(p, start, prog - start, engine.finish(ends[p]) - originNs - prog, partDram[p],
                    partCells[p], placements[p].crossbarsUsed(), placements[p].coresUsed(), placements[p].straddled,
                    Arrays.stream(placements[p].used).boxed().toList()));
        }
        List<SimResult.LayerStats> layerStats = new ArrayList<>();
        DataMovement moves = new DataMovement(instance, plan.partitionOfUnits(instance.units().size()), k);
        for (Layer l : instance.network().layers()) {
            int i = l.index();
            if (!layerRan[i]) {
                continue;
            }
            String ps = moves.partitionsOfLayer[i].toString().replaceAll("[\\[\\] ]", "");
            layerStats.add(new SimResult.LayerStats(l.name(), l.op().kind(), ps, layerMvms[i], layerVector[i], layerBusy[i],
                    layerFirst[i], layerLast[i]));
        }
        double total = (double) chip.totalCrossbars() * latency;
        List<String> names = instance.network().layers().stream().map(Layer::name).toList();
        String effects = config.effects() + (layout != null ? "; layout executed" : "");
        return new SimResult(config.schedule(), effects, instance.batch(), latency, energy, Math.round(dramBytes),
                Math.round(cells), worstCrossbarWrites(k, placements), layout != null, Math.round(mvms), total > 0 ? crossbarBusy / total : 0,
                latency > 0 ? coreBusySum / (chip.cores() * latency) : 0, engine.events(), parts, layerStats,
                new Timeline(engine, core, dram, writer, chip.cores(), names, originNs));
    }

    /**
     * Most writes of one crossbar in the batch: with a layout, counted from the writes executed;
     * without one, every partition rewrites its crossbars and a core's copies start at its first
     * crossbar, so the busiest crossbar is written once per partition using its core.
     */
    private int worstCrossbarWrites(int k, Placement[] placements) {
        if (layout != null) {
            Map<Integer, Integer> writes = new HashMap<>();
            siteOfWrite.values().forEach(site -> writes.merge(site, 1, Integer::sum));
            return writes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }
        if (k < 2) {
            return 0;
        }
        int worst = 0;
        for (int c = 0; c < chip.cores(); c++) {
            int users = 0;
            for (Placement pl : placements) {
                users += pl.used[c] > 0 ? 1 : 0;
            }
            worst = Math.max(worst, users);
        }
        return worst;
    }

    @SuppressWarnings("unchecked")
    private List<double[]>[] coreIntervals() {
        List<double[]>[] out = new List[chip.cores()];
        for (int c = 0; c < out.length; c++) {
            out[c] = new ArrayList<>();
        }
        return out;
    }

    private static double union(List<double[]> intervals) {
        intervals.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = 0;
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (double[] iv : intervals) {
            if (Double.isNaN(lo) || iv[0] > hi) {
                if (!Double.isNaN(lo)) {
                    total += hi - lo;
                }
                lo = iv[0];
                hi = iv[1];
            } else {
                hi = Math.max(hi, iv[1]);
            }
        }
        if (!Double.isNaN(lo)) {
            total += hi - lo;
        }
        return total;
    }
}
