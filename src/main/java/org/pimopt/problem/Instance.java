package org.pimopt.problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.pimopt.PimoptException;
import org.pimopt.cost.CostModel;
import org.pimopt.cost.CrossbarGeometry;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.cost.Goal;
import org.pimopt.cost.LayerTiling;
import org.pimopt.cost.NetworkTiling;
import org.pimopt.cost.PartitionProfile;
import org.pimopt.cost.Rates;
import org.pimopt.cost.Unit;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;

/**
 * A network lowered onto one chip for one batch size and goal: its weighted ops, their units in a
 * fixed topological order (ops in layer order, units by ordinal), and the tensors that flow
 * between layers. Given where each unit runs and how ops are replicated, it counts what each
 * partition asks of the chip ({@link #profiles}); {@link CostModel} prices that.
 */
public final class Instance {
    private final Network network;
    private final Chip chip;
    private final int batch;
    private final Goal goal;
    private final NetworkTiling tiling;
    private final List<OpInfo> ops;
    private final List<UnitRef> units;
    private final int[] opOfLayer;
    private final List<Flow> flows;
    private final double averageHops;
    private final Map<String, Integer> producerLayer = new HashMap<>();
    /** Per layer: the layers whose outputs it reads, the layers that read its outputs, its vector ops. */
    private final int[][] layerProducers;
    /** Whether a layer's output is made in some partition: a weighted layer, or one downstream of it. */
    private final boolean[] fromAPartition;
    private final int[][] layerReaders;
    private final long[] layerVectorOps;
    private final TrafficRules trafficRules;

    /**
     * A tensor as the traffic model sees it: its bytes per sample, the layer that produces it
     * ({@code -1}: a network input or a model constant, which live in DRAM), whether it moves once
     * per batch rather than per sample, which layers read it, which of them receive it over the NoC
     * when they run where it is produced, and whether it leaves the network. A vector layer runs
     * where its first input is, so only weighted readers and vector readers of a later input
     * receive the tensor ({@code receivingLayers}).
     */
    public record Flow(String name, long bytes, int producerLayer, boolean perBatch, List<Integer> consumerLayers,
                       List<Integer> receivingLayers, boolean networkOutput) {}

    /**
     * Bytes of flow {@code f} that unit {@code unit} of its (weighted) producer holds: its share of
     * the output columns of every output position, rounded up. The one statement of a slice's size:
     * the profiles, every exact engine, the bound and the simulator read it here.
     */
    public long sliceBytes(Flow f, int unit) {
        return sliceBytes(f.bytes(), ops.get(opOfLayer[f.producerLayer()]), unit);
    }

    /** {@link #sliceBytes(Flow, int)} of a tensor of {@code bytes} made by {@code op}. */
    public long sliceBytes(long bytes, OpInfo op, int unit) {
        long columns = op.tiling().matrix().cols() * (long) op.tiling().matrix().groups();
        return CrossbarGeometry.ceilDivLong(bytes * units.get(unit).unit().outputColumns(), columns);
    }

    /**
     * Bytes of one unit's partial sums per sample: its op's output positions times its columns, at
     * activation precision. The one statement of it: the profiles, placement and the simulator read it here.
     */
    public long partialSumBytes(UnitRef u) {
        return CrossbarGeometry.ceilDivLong(ops.get(u.op()).positions() * u.unit().outputColumns() * chip.activationBits(), 8);
    }

    private Instance(Network network, Chip chip, int batch, Goal goal) {
        if (batch < 1) {
            throw new PimoptException("batch must be at least 1, got " + batch);
        }
        this.network = network;
        this.chip = chip;
        this.batch = batch;
        this.goal = goal;
        this.tiling = NetworkTiling.of(network, chip);
        if (tiling.layers().isEmpty()) {
            throw new PimoptException(network.name() + " has no weighted layer to place on crossbars");
        }
        this.opOfLayer = new int[network.layers().size()];
        Arrays.fill(opOfLayer, -1);
        List<OpInfo> opList = new ArrayList<>();
        List<UnitRef> unitList = new ArrayList<>();
        List<List<Integer>> preds = weightedPredecessors(network);
        for (LayerTiling t : tiling.layers()) {
            int op = opList.size();
            opOfLayer[t.layer().index()] = op;
            int first = unitList.size();
            for (Unit u : t.units()) {
                unitList.add(new UnitRef(unitList.size(), op, u));
            }
            List<Integer> predOps = preds.get(t.layer().index()).stream().map(l -> opOfLayer[l]).toList();
            opList.add(new OpInfo(op, t.layer(), t, first, t.units().size(), t.outputPositions(), predOps));
        }
        this.ops = List.copyOf(opList);
        this.units = List.copyOf(unitList);
        this.flows = TrafficRules.flows(network, chip);
        for (Layer l : network.layers()) {
            for (String t : l.node().outputs()) {
                producerLayer.put(t, l.index());
            }
        }
        int layers = network.layers().size();
        this.layerProducers = new int[layers][];
        this.layerVectorOps = new long[layers];
        List<List<Integer>> readersOf = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            readersOf.add(new ArrayList<>());
        }
        for (Layer l : network.layers()) {
            List<Integer> producers = new ArrayList<>();
            for (String t : l.node().inputs()) {
                Integer src = producerLayer.get(t);
                if (src != null) {
                    producers.add(src);
                    readersOf.get(src).add(l.index());
                }
            }
            layerProducers[l.index()] = producers.stream().mapToInt(Integer::intValue).toArray();
            layerVectorOps[l.index()] = l.vectorOps();
        }
        this.layerReaders = readersOf.stream().map(r -> r.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        // Layers come in dependency order: a producer's answer is known before its readers ask.
        this.fromAPartition = new boolean[layers];
        for (int l = 0; l < layers; l++) {
            boolean from = opOfLayer[l] >= 0;
            for (int src : layerProducers[l]) {
                from |= fromAPartition[src];
            }
            fromAPartition[l] = from;
        }
        this.averageHops = Rates.meanHops(chip);
        this.trafficRules = new TrafficRules(this, opOfLayer, layerProducers, layerReaders);
    }

    /** The same network, chip and batch under another goal (its tiling and flows are shared, not rebuilt). */
    public Instance withGoal(Goal other) {
        return other.equals(goal) ? this : new Instance(this, other);
    }

    private Instance(Instance base, Goal goal) {
        this.network = base.network;
        this.chip = base.chip;
        this.batch = base.batch;
        this.goal = goal;
        this.tiling = base.tiling;
        this.ops = base.ops;
        this.units = base.units;
        this.opOfLayer = base.opOfLayer;
        this.flows = base.flows;
        this.averageHops = base.averageHops;
        this.producerLayer.putAll(base.producerLayer);
        this.layerProducers = base.layerProducers;
        this.fromAPartition = base.fromAPartition;
        this.layerReaders = base.layerReaders;
        this.layerVectorOps = base.layerVectorOps;
        this.trafficRules = new TrafficRules(this, opOfLayer, layerProducers, layerReaders);
    }

    public static Instance of(Network network, Chip chip, int batch, Goal goal) {
        return new Instance(network, chip, batch, goal);
    }

    public Network network() {
        return network;
    }

    public Chip chip() {
        return chip;
    }

    public int batch() {
        return batch;
    }

    public Goal goal() {
        return goal;
    }

    public NetworkTiling tiling() {
        return tiling;
    }

    public List<OpInfo> ops() {
        return ops;
    }

    /** Units in the fixed topological order; a unit's id is its position here. */
    public List<UnitRef> units() {
        return units;
    }

    /** Tensors between layers, for models that encode the traffic rules of {@link #profiles}. */
    public List<Flow> flows() {
        return flows;
    }

    /** The op of a weighted layer, or -1 for a vector layer. */
    public int opOfLayer(int layer) {
        return opOfLayer[layer];
    }

    /** Mean hops between two cores ({@link Rates#meanHops}), used to estimate NoC traffic before placement. */
    public double averageHops() {
        return averageHops;
    }

    /** Layers that read a layer's outputs, in layer order. */
    public List<Integer> consumersOf(int layer) {
        List<Integer> out = new ArrayList<>();
        for (int r = layer + 1; r < network.layers().size(); r++) {
            if (producersOf(r).contains(layer)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The producers of a layer whose output comes from a partition: weighted layers, and vector
     * layers downstream of one. The others (vector layers fed only by the network's inputs and
     * constants) are there from the start for its timing: such a layer runs where it is first read
     * (the vector partition rule of {@link #profiles}), so it never holds a reader back. Every engine reads this rule here.
     */
    public List<Integer> partitionProducersOf(int layer) {
        List<Integer> out = new ArrayList<>();
        for (int src : layerProducers[layer]) {
            if (fromAPartition[src] && !out.contains(src)) {
                out.add(src);
            }
        }
        return out;
    }

    /** Layers whose outputs a layer reads (network inputs excluded). */
    public List<Integer> producersOf(int layer) {
        List<Integer> out = new ArrayList<>();
        for (String t : network.layers().get(layer).node().inputs()) {
            Integer p = producerLayer.get(t);
            if (p != null && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** For each layer, the weighted layers it reads through chains of vector ops. */
    private static List<List<Integer>> weightedPredecessors(Network network) {
        Map<String, Integer> producer = new HashMap<>();
        for (Layer l : network.layers()) {
            for (String t : l.node().outputs()) {
                producer.put(t, l.index());
            }
        }
        List<List<Integer>> reach = new ArrayList<>();
        for (Layer l : network.layers()) {
            TreeSet<Integer> set = new TreeSet<>();
            for (String t : l.node().inputs()) {
                Integer p = producer.get(t);
                if (p == null) {
                    continue;
                }
                if (network.layers().get(p).isWeighted()) {
                    set.add(p);
                } else {
                    set.addAll(reach.get(p));
                }
            }
            reach.add(List.copyOf(set));
        }
        return reach;
    }

    /**
     * What each partition asks of the chip when unit {@code u} runs in partition
     * {@code partitionOf[u]} (0-based, every unit placed) and op {@code o} has
     * {@code replicas[p][o]} copies in partition {@code p}. Traffic rules:
     * <ul>
     *   <li>a weighted op computes in every partition holding one of its units; each unit's output
     *       slice stays on chip for readers in its own partition and goes through DRAM to others;
     *   <li>a vector layer runs in the latest partition of its producers (a layer fed only by
     *       inputs and constants, in the earliest partition of its readers);
     *   <li>a tensor read in a partition other than its producer's is stored once and loaded once
     *       into each reading partition; network inputs are loaded, network outputs stored;
     *   <li>learned tensors of vector layers are loaded once per batch into each reading partition;
     *   <li>a slice crosses the NoC once (one transfer of its bytes) when a layer that receives it
     *       ({@link Flow#receivingLayers}) runs in the partition that produces it.
     * </ul>
     */
    public List<PartitionProfile> profiles(int[] partitionOf, int partitions, int[][] replicas) {
        Traffic traffic = traffic(partitionOf, partitions);
        List<PartitionProfile> out = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            out.add(profile(traffic, p, replicas[p]));
        }
        return out;
    }

    /**
     * The part of {@link #profiles} that copies do not change: where vector layers run, and each
     * partition's DRAM and NoC traffic. A search that prices one unit set with several copy
     * choices computes it once ({@link #profile(Traffic, int, int[])} then prices each choice).
     */
    public record Traffic(int[] partitionOf, int[] vectorPart, long[] perSample, long[] perBatch, double[] nocBytes,
                          long[] localBytes, long[] localTransfers, TransferPaths.Lazy paths) {}

    /** The traffic of an assignment, as {@link #profiles} states it ({@link TrafficRules} computes it). */
    public Traffic traffic(int[] partitionOf, int partitions) {
        return trafficRules.traffic(partitionOf, partitions);
    }

    /**
     * The transfer time of tensor {@code f} into a layer of partition {@code p} that receives it over
     * the NoC, when unit {@code u} runs in {@code partitionOf[u]}: one transfer of the tensor when a
     * vector layer makes it, one per slice of its producer's units in {@code p} otherwise (the
     * profiles' critical paths and the simulator's model-form transfers read it here).
     */
    public double transferNs(Flow f, int p, int[] partitionOf) {
        return trafficRules.transferNs(f, p, partitionOf);
    }

    /**
     * A tensor a layer reads from another layer: its producer, its index in {@link #flows}, and
     * whether the layer receives it over the NoC when both run in one partition.
     */
    public record Read(int producerLayer, int flow, boolean received) {}

    /** What layer {@code layer} reads from other layers (network inputs and model constants come from DRAM and are not listed). */
    public List<Read> readsOf(int layer) {
        return trafficRules.transferPaths().readsOf(layer);
    }

    /**
     * The transfer time of one slice of tensor {@code f}: unit {@code unit}'s share, or, for
     * {@code unit = -1}, a vector producer's whole tensor ({@link CostModel#transferNs}); what
     * {@link #transferNs} adds up over a partition's slices, for the engines that state it per unit.
     */
    public double sliceTransferNs(Flow f, int unit) {
        return trafficRules.transferPaths().sliceNs(f, unit);
    }

    /** Partition {@code p}'s profile with its traffic known and {@code replicas[o]} copies of each op. */
    public PartitionProfile profile(Traffic t, int p, int[] replicas) {
        return partitionProfile(p, t.partitionOf(), replicas, t.perSample()[p], t.perBatch()[p], t.nocBytes()[p],
                t.vectorPart(), t.localBytes()[p], t.localTransfers()[p], t.paths().of(p));
    }

    /** Most copies of an op worth having: no more than its MVM steps, nor than the chip holds of its smallest unit. */
    public int maxCopies(OpInfo op) {
        int smallest = Integer.MAX_VALUE;
        for (int u = op.firstUnit(); u <= op.lastUnit(); u++) {
            smallest = Math.min(smallest, units.get(u).crossbars());
        }
        return (int) Math.max(1, Math.min(op.positions(), chip.totalCrossbars() / smallest));
    }

    /**
     * NoC byte-hops per sample of a unit's partial sums: a unit spanning cores sums its columns over
     * the NoC, one hop per extra core. It is the same in every plan (copies split positions).
     */
    public double partialSumByteHops(UnitRef u) {
        int coresSpanned = (u.crossbars() + chip.crossbarsPerCore() - 1) / chip.crossbarsPerCore();
        if (coresSpanned <= 1) {
            return 0;
        }
        return (double) partialSumBytes(u) * (coresSpanned - 1);
    }

    /**
     * The part of a batch's energy no plan changes, in pJ, read off any plan's {@code energy}: MVM
     * and vector work, and the partial sums of units that span cores. The exact engines model the
     * rest; a limit or product on energy adds this back.
     */
    public double planIndependentEnergyPj(org.pimopt.cost.EnergyBreakdown energy) {
        double partialSums = 0;
        for (UnitRef u : units) {
            partialSums += partialSumByteHops(u);
        }
        return energy.mvmPj() + energy.vectorPj() + batch * partialSums * chip.pjPerByteHop();
    }

    /** Metrics of a whole assignment, straight from the cost model. */
    public BatchMetrics evaluate(int[] partitionOf, int partitions, int[][] replicas) {
        return CostModel.batch(chip, batch, profiles(partitionOf, partitions, replicas));
    }

    private PartitionProfile partitionProfile(int p, int[] partitionOf, int[] replicas, long perSample, long perBatch,
                                              double nocBytes, int[] vectorPart, long localBytes, long localTransfers,
                                              TransferPaths.Graph paths) {
        boolean[] holds = new boolean[ops.size()];   // ops with a unit here: one stage each, in op order
        long crossbars = 0;
        long rows = 0;
        double unitProgram = 0;
        long cells = 0;
        long weightBytes = 0;
        long mvms = 0;
        double noc = nocBytes;
        for (UnitRef u : units) {
            if (partitionOf[u.id()] != p) {
                continue;
            }
            int r = replicas[u.op()];
            Unit unit = u.unit();
            OpInfo op = ops.get(u.op());
            holds[u.op()] = true;
            crossbars += (long) unit.crossbars() * r;
            rows += unit.rowsProgrammed() * r;
            unitProgram = Math.max(unitProgram, CostModel.unitProgramNs(chip, unit));
            cells += unit.cellsWritten() * r;
            weightBytes += unit.weightBytes();
            mvms += op.positions() * unit.crossbars();
            noc += partialSumByteHops(u);
        }
        // One stage per op here, in op order, after the ops it reads with the transfers between them.
        List<PartitionProfile.Stage> stages = new ArrayList<>();
        int[] stageOf = new int[holds.length];
        for (int op = 0; op < holds.length; op++) {
            if (holds[op]) {
                stageOf[op] = stages.size();
                int i = paths.indexOf(op);
                List<Integer> after = new ArrayList<>();
                for (int pred : paths.preds()[i]) {
                    after.add(stageOf[pred]);
                }
                stages.add(new PartitionProfile.Stage(op, ops.get(op).positions(), replicas[op], after, paths.edgeNs()[i],
                        paths.leadNs()[i], paths.tailNs()[i]));
            }
        }
        long vectorOps = 0;
        for (int l = 0; l < vectorPart.length; l++) {
            if (opOfLayer[l] < 0 && vectorPart[l] == p) {
                vectorOps += layerVectorOps[l];
            }
        }
        return new PartitionProfile(stages, perSample, perBatch, crossbars, rows, cells, weightBytes, mvms, vectorOps, noc,
                localBytes, localTransfers, unitProgram, paths.transferOnlyNs());
    }
}
