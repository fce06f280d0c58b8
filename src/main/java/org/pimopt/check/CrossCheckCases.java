package org.pimopt.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Conv;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Linear;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.VectorOp;
import org.pimopt.problem.Instance;
import org.pimopt.problem.OpInfo;

/**
 * The instances of the cross-check, one per seed: small random networks with the shapes the
 * engines must all price alike (branches, residual adds, concat, vector layers fed from DRAM,
 * several outputs, grouped and depthwise convs, linear layers over several positions, parameter
 * nodes, stripes taller than a core or the whole chip), on chips of 1 to 6 cores, batch 1 to 16,
 * and a goal taken in turn from {@link #GOALS}. A draw is kept when it has 3 to 10 units and at
 * most {@link #MAX_PLANS} plans to enumerate; otherwise the seed's generator draws again, so a
 * seed always names the same instance.
 */
public final class CrossCheckCases {
    /** Every objective alone, and lexicographic lists (edp is modelled alone only). */
    public static final List<String> GOALS = List.of("latency", "energy", "writes", "dram", "edp", "latency,writes",
            "energy,latency", "writes,latency", "dram,energy");
    /** Most plans (assignments times copy counts) an instance may ask the enumeration to price. */
    static final long MAX_PLANS = 200_000;
    static final int MIN_UNITS = 3;
    static final int MAX_UNITS = 10;

    private CrossCheckCases() {}

    /**
     * An instance, the seed that draws it, the shapes it holds, and its limits in words (empty
     * without: {@link CrossCheckLimits#draw}).
     */
    public record Case(long seed, Instance instance, List<String> features, String limits) {
        public Case(long seed, Instance instance, List<String> features) {
            this(seed, instance, features, "");
        }

        public String describe() {
            Instance in = instance;
            return String.format(java.util.Locale.ROOT, "%s: %d ops, %d units, %d cores x %d crossbars of %d rows, B=%d, %s",
                    in.network().name(), in.ops().size(), in.units().size(), in.chip().cores(), in.chip().crossbarsPerCore(),
                    in.chip().crossbarRows(), in.batch(), in.goal()) + (limits.isEmpty() ? "" : ", limits " + limits);
        }
    }

    /**
     * The instance of a seed: its goal {@code GOALS[seed mod 9]}, its size class from the seed too
     * (3-5 units for 2 seeds in 5, 6-7 and 8-10 units for 3 in 10 each): small draws come far more
     * often, and are kept here only as often as the large ones.
     */
    public static Case draw(long seed) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 20261207);
        Goal goal = Goal.parse(GOALS.get((int) Math.floorMod(seed, (long) GOALS.size())));
        int size = rnd.nextInt(10);
        int fewest = size < 4 ? MIN_UNITS : size < 7 ? 6 : 8;
        int most = size < 4 ? 5 : size < 7 ? 7 : MAX_UNITS;
        while (true) {
            Network net;
            try {
                int family = rnd.nextInt(8);
                net = family < 2 ? tokens(rnd, "cc" + seed) : family < 3 ? mlp(rnd, "cc" + seed) : image(rnd, "cc" + seed);
            } catch (RuntimeException shapesDoNotFit) {
                continue;   // e.g. a stride that leaves no pixels; draw again
            }
            Chip chip = RandomCases.chip(rnd, 6, 8);
            int batch = 1 + rnd.nextInt(16);
            Instance in;
            try {
                in = Instance.of(net, chip, batch, goal);
            } catch (RuntimeException notPlaceable) {
                continue;
            }
            int n = in.units().size();
            if (n < fewest || n > most) {
                continue;
            }
            long plans = PlanEnumerator.plansToTry(in, MAX_PLANS);
            if (plans > 0) {
                return new Case(seed, in, features(in));
            }
        }
    }

    /** A CNN on a small image: an optional vector layer on the input, one to four blocks, a head. */
    static Network image(Random rnd, String name) {
        var b = new NetworkBuilder(name);
        int c = 1 + rnd.nextInt(8);
        int hw = 2 + rnd.nextInt(7);
        String x = b.input("input", c + "x" + hw + "x" + hw);
        int first = rnd.nextInt(3);
        if (first == 0) {
            x = b.relu("relu_in", x);   // fed from DRAM alone; a residual block below may read it twice
        } else if (first == 1 && hw >= 4 && rnd.nextBoolean()) {
            x = b.maxPool("pool_in", x, 2, 2, 0, false);
            hw /= 2;
        }
        int blocks = 1 + rnd.nextInt(4);
        for (int i = 0; i < blocks; i++) {
            int out = 2 + rnd.nextInt(24);
            switch (rnd.nextInt(7)) {
                case 0 -> {   // plain conv, maybe strided, relu, pool
                    int stride = hw >= 4 && rnd.nextInt(3) == 0 ? 2 : 1;
                    int kernel = rnd.nextBoolean() ? 3 : 1;
                    x = b.conv("conv" + i, x, out, kernel, stride, kernel / 2, rnd.nextBoolean());
                    hw = (hw - 1) / stride + 1;
                    c = out;
                    x = b.relu("relu" + i, x);
                    if (hw >= 4 && rnd.nextInt(3) == 0) {
                        x = b.maxPool("pool" + i, x, 2, 2, 0, false);
                        hw /= 2;
                    }
                }
                case 1 -> {   // residual: conv, relu, conv added to the block's input
                    String y = b.conv("res" + i + "a", x, c, 3, 1, 1, false);
                    y = b.relu("res" + i + "relu", y);
                    y = b.conv("res" + i + "b", y, c, 1, 1, 0, false);
                    x = b.eltwise("add" + i, "add", x, y);
                }
                case 2 -> {   // two branches concatenated along channels
                    String l = b.conv("cat" + i + "l", x, out, 1, 1, 0, false);
                    String r = b.conv("cat" + i + "r", x, 1 + rnd.nextInt(16), 3, 1, 1, false);
                    x = b.concat("cat" + i, 0, l, r);
                    c = out + shapeChannels(b, name, r);
                }
                case 3 -> {   // grouped conv: groups dividing the channels (one per channel, two outputs each, when odd)
                    int g = c % 4 == 0 && rnd.nextBoolean() ? 4 : c % 2 == 0 ? 2 : c;
                    int cout = g * (1 + rnd.nextInt(g == c ? 3 : 8));
                    x = b.groupConv("gconv" + i, x, cout, 3, 1, 1, g, false);
                    c = cout;
                }
                case 4 -> {   // depthwise conv, maybe followed by a pointwise one
                    x = b.groupConv("dw" + i, x, c, 3, 1, 1, c, false);
                    x = b.relu("dw" + i + "relu", x);
                    if (rnd.nextBoolean()) {
                        x = b.conv("pw" + i, x, out, 1, 1, 0, false);
                        c = out;
                    }
                }
                case 5 -> {   // a side head: another network output
                    String s = b.globalAvgPool("side" + i + "gap", x);
                    s = b.flatten("side" + i + "flat", s);
                    b.linear("side" + i + "fc", s, 1 + rnd.nextInt(10), true);
                }
                default -> {   // two parallel convs added
                    String l = b.conv("par" + i + "l", x, out, 3, 1, 1, false);
                    String r = b.conv("par" + i + "r", x, out, 1, 1, 0, false);
                    x = b.eltwise("sum" + i, "add", l, r);
                    c = out;
                }
            }
        }
        switch (rnd.nextInt(3)) {
            case 0 -> {   // global pool and a classifier
                x = b.globalAvgPool("gap", x);
                x = b.flatten("flatten", x);
                b.linear("fc", x, 2 + rnd.nextInt(20), true);
            }
            case 1 -> {   // flatten the feature map into one classifier: tall stripes on small chips
                x = b.flatten("flatten", x);
                b.linear("fc", x, 2 + rnd.nextInt(12), true);
            }
            default -> { }   // the last block's output is the network's
        }
        return Network.bind(b.build(), Map.of());
    }

    /** Channels of a tensor built so far (binding a copy of the spec infers its shape). */
    private static int shapeChannels(NetworkBuilder b, String name, String tensor) {
        Network partial = Network.bind(b.build(), Map.of());
        for (Layer l : partial.layers()) {
            if (l.node().outputs().contains(tensor)) {
                return l.outputShape().dim(0);
            }
        }
        throw new IllegalStateException("no tensor " + tensor + " in " + name);
    }

    /**
     * Tokens through linear layers (each token one MVM step: several positions), an optional vector
     * layer on the input, a learned parameter added (a constant read from DRAM once per batch),
     * residual adds, concat along features, and an optional pooled head beside the token output.
     */
    static Network tokens(Random rnd, String name) {
        var b = new NetworkBuilder(name);
        int t = 2 + rnd.nextInt(7);
        int f = 4 + rnd.nextInt(60);
        String x = b.input("input", t + "x" + f);
        if (rnd.nextInt(3) == 0) {
            x = b.relu("relu_in", x);
        }
        if (rnd.nextBoolean()) {
            x = b.eltwise("add_param", "add", x, b.parameter("pos", t + "x" + f, true));
        }
        int layers = 1 + rnd.nextInt(3);
        for (int i = 0; i < layers; i++) {
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    f = 2 + rnd.nextInt(64);
                    x = b.linear("fc" + i, x, f, rnd.nextBoolean());
                    x = b.relu("relu" + i, x);
                }
                case 1 -> {   // residual: a linear back to the same width, added to its input
                    String y = b.linear("res" + i, x, f, false);
                    x = b.eltwise("add" + i, "add", x, y);
                }
                default -> {   // two linear branches concatenated along features
                    int l = 1 + rnd.nextInt(32);
                    int r = 1 + rnd.nextInt(32);
                    x = b.concat("cat" + i, -1, b.linear("cat" + i + "l", x, l, false), b.linear("cat" + i + "r", x, r, false));
                    f = l + r;
                }
            }
        }
        if (rnd.nextBoolean()) {
            String s = b.flatten("side_flat", x);
            b.linear("side_fc", s, 1 + rnd.nextInt(8), true);
        }
        if (rnd.nextBoolean()) {
            b.linear("head", x, 1 + rnd.nextInt(16), true);
        }
        return Network.bind(b.build(), Map.of());
    }

    /**
     * Fully connected layers on one vector (one MVM step each: copies add nothing, so ten units
     * still enumerate), often wider than a small chip is tall, with a DRAM-fed activation, a
     * residual add or a side output.
     */
    static Network mlp(Random rnd, String name) {
        var b = new NetworkBuilder(name);
        int f = 16 + rnd.nextInt(400);
        String x = b.input("input", Integer.toString(f));
        if (rnd.nextBoolean()) {
            x = b.relu("relu_in", x);
        }
        int layers = 1 + rnd.nextInt(4);
        for (int i = 0; i < layers; i++) {
            if (rnd.nextInt(3) == 0) {
                x = b.eltwise("add" + i, "add", x, b.linear("res" + i, x, f, false));
            } else {
                f = 4 + rnd.nextInt(300);
                x = b.relu("relu" + i, b.linear("fc" + i, x, f, rnd.nextBoolean()));
            }
            if (rnd.nextInt(4) == 0) {
                b.linear("side" + i, x, 1 + rnd.nextInt(10), true);
            }
        }
        b.linear("fc", x, 2 + rnd.nextInt(20), true);
        return Network.bind(b.build(), Map.of());
    }

    /** The shapes this instance holds, read from the instance (not from how it was drawn). */
    static List<String> features(Instance in) {
        TreeSet<String> out = new TreeSet<>();
        Network net = in.network();
        if (net.outputs().size() > 1) {
            out.add("outputs>1");
        }
        for (Layer l : net.layers()) {
            if (l.op() instanceof Conv conv && conv.groups() > 1) {
                out.add(conv.groups() == l.inputShapes().get(0).dim(0) && conv.outChannels() == conv.groups()
                        ? "depthwise" : "grouped");
            }
            if (l.op() instanceof Linear && l.outputPositions() > 1) {
                out.add("linear-positions");
            }
            if (l.op() instanceof VectorOp.Parameter) {
                out.add("parameter");
            }
            if (l.op() instanceof VectorOp.Concat) {
                out.add("concat");
            }
            if (l.op() instanceof VectorOp.Eltwise) {
                out.add("add");
            }
            if (!l.isWeighted() && !(l.op() instanceof VectorOp.Parameter) && fedFromDram(net, l)) {
                out.add("vector-from-dram");
            }
        }
        for (Layer l : net.layers()) {
            long readers = net.layers().stream().filter(r -> r.node().inputs().stream()
                    .anyMatch(l.node().outputs()::contains)).count();
            if (readers > 1) {
                out.add("branch");
            }
        }
        for (OpInfo op : in.ops()) {
            if (op.tiling().rowChunks() > 1) {
                out.add("stripe>chip");
            } else if (op.tiling().stripeHeight() > in.chip().crossbarsPerCore()) {
                out.add("stripe>core");
            }
        }
        return List.copyOf(out);
    }

    /** Whether every input of the layer is a network input or a parameter (its data comes from DRAM). */
    private static boolean fedFromDram(Network net, Layer l) {
        List<String> produced = new ArrayList<>();
        for (Layer p : net.layers()) {
            if (!(p.op() instanceof VectorOp.Parameter)) {
                produced.addAll(p.node().outputs());
            }
        }
        return l.node().inputs().stream().noneMatch(produced::contains);
    }
}
