package org.pimopt.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.pimopt.cost.CorePacking;
import org.pimopt.cost.Goal;
import org.pimopt.cost.Unit;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.plan.Validator;
import org.pimopt.problem.Instance;
import org.pimopt.problem.UnitRef;
import org.pimopt.solve.replication.ReplicationRule;
import org.pimopt.solve.replication.Replicator;

/**
 * Seeded random networks (chains and DAGs), chips, batches and valid plans for property tests and
 * the cross-check ({@link CrossCheckCases} draws its chips here).
 */
public final class RandomCases {
    private RandomCases() {}

    /** A small CNN: convs with relus, pools, residual adds and concats, then a classifier; or an MLP. */
    public static Network network(Random rnd, int id) {
        var b = new NetworkBuilder("random-" + id);
        if (rnd.nextInt(5) == 0) {
            String x = b.input("input", Integer.toString(16 + rnd.nextInt(300)));
            int layers = 1 + rnd.nextInt(4);
            for (int i = 0; i < layers; i++) {
                x = b.linear("fc" + i, x, 8 + rnd.nextInt(400), rnd.nextBoolean());
                if (rnd.nextBoolean()) {
                    x = b.relu("relu" + i, x);
                }
            }
            return Network.bind(b.build(), Map.of());
        }
        int hw = 6 + rnd.nextInt(12);
        String x = b.input("input", (1 + rnd.nextInt(4)) + "x" + hw + "x" + hw);
        int channels = 8 + rnd.nextInt(64);
        int layers = 1 + rnd.nextInt(5);
        for (int i = 0; i < layers; i++) {
            int kind = rnd.nextInt(4);
            if (kind == 0 && hw >= 4) {
                x = b.conv("conv" + i, x, channels, 3, 2, 1, false);
                hw = (hw + 1) / 2;
            } else if (kind == 1) {
                // Residual: two convs, the second added to the block's input.
                String y = b.conv("conv" + i + "a", x, channels, 3, 1, 1, false);
                y = b.relu("relu" + i + "a", y);
                y = b.conv("conv" + i + "b", y, channels, 1, 1, 0, false);
                x = b.conv("proj" + i, x, channels, 1, 1, 0, false);
                x = b.eltwise("add" + i, "add", x, y);
            } else if (kind == 2) {
                // Two branches concatenated along channels.
                String y = b.conv("conv" + i + "l", x, channels / 2 + 1, 1, 1, 0, false);
                String z = b.conv("conv" + i + "r", x, channels / 2 + 1, 3, 1, 1, false);
                x = b.concat("cat" + i, 0, y, z);
            } else {
                x = b.conv("conv" + i, x, channels, 3, 1, 1, rnd.nextBoolean());
                x = b.relu("relu" + i, x);
                if (hw >= 4 && rnd.nextBoolean()) {
                    x = b.maxPool("pool" + i, x, 2, 2, 0, false);
                    hw /= 2;
                }
            }
            channels = 8 + rnd.nextInt(96);
        }
        if (rnd.nextBoolean()) {
            x = b.globalAvgPool("gap", x);
        }
        x = b.flatten("flatten", x);
        b.linear("fc", x, 10, true);
        return Network.bind(b.build(), Map.of());
    }

    public static Chip chip(Random rnd) {
        return chip(rnd, 8, 16);
    }

    /** A chip of 1 to {@code maxCores} cores of 1 to {@code maxCrossbars} crossbars; the same draws as {@link #chip(Random)} at 8 and 16. */
    public static Chip chip(Random rnd, int maxCores, int maxCrossbars) {
        int rows = 32 << rnd.nextInt(3);
        String json = String.format(Locale.ROOT, "{\"name\": \"random\", \"cores\": %d, \"crossbars_per_core\": %d, "
                        + "\"crossbar_rows\": %d, \"crossbar_cols\": %d, \"dram_gbps\": %.3f, \"write_parallelism\": %d, "
                        + "\"mvm_latency_ns\": %.2f, \"write_ns_per_row\": %.2f, \"static_power_w\": %.3f}",
                1 + rnd.nextInt(maxCores), 1 + rnd.nextInt(maxCrossbars), rows, rows, 0.5 + 20 * rnd.nextDouble(),
                1 + rnd.nextInt(32), 10 + 200 * rnd.nextDouble(), 0.5 + 10 * rnd.nextDouble(), 2 * rnd.nextDouble());
        // Vector units and NoC from a generator seeded by the figures above, so that adding them left
        // every other draw of the callers' sequences as it was.
        Random more = new Random(json.hashCode());
        json = json.substring(0, json.length() - 1) + String.format(Locale.ROOT, ", \"vector_units_per_core\": %d, "
                        + "\"vector_ops_per_ns_per_unit\": %.3f, \"link_gbps\": %.2f, \"hop_ns\": %.2f}",
                1 + more.nextInt(12), 0.02 + more.nextDouble(), 1 + 31 * more.nextDouble(), 1 + 9 * more.nextDouble());
        return ChipLoader.parse(json, "random chip");
    }

    /**
     * Random contiguous cuts of the unit order (a cut wherever the next unit would not fit, and at
     * random), then replication by a heuristic rule or at random, kept only if the plan validates.
     */
    public static Plan plan(Random rnd, Instance instance) {
        List<List<Integer>> parts = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        List<Unit> copies = new ArrayList<>();
        for (UnitRef u : instance.units()) {
            copies.add(u.unit());
            if (!current.isEmpty() && (!CorePacking.fitsQuickly(copies, instance.chip()) || rnd.nextInt(4) == 0)) {
                parts.add(current);
                current = new ArrayList<>();
                copies = new ArrayList<>(List.of(u.unit()));
            }
            current.add(u.id());
        }
        parts.add(current);
        Replicator replicator = new Replicator(instance);
        List<Partition> out = new ArrayList<>();
        for (List<Integer> units : parts) {
            Map<Integer, Integer> rep = switch (rnd.nextInt(3)) {
                case 0 -> replicator.replicate(units, ReplicationRule.BALANCE_FILL);
                case 1 -> replicator.replicate(units, ReplicationRule.CLSA_DUPLICATE);
                default -> randomReplication(rnd, instance, units);
            };
            out.add(new Partition(units, rep));
        }
        Plan plan = new Plan(out);
        Validator.check(instance, plan);
        return plan;
    }

    private static Map<Integer, Integer> randomReplication(Random rnd, Instance instance, List<Integer> units) {
        Map<Integer, Integer> rep = new TreeMap<>();
        List<Integer> ops = units.stream().map(u -> instance.units().get(u).op()).distinct().toList();
        for (int tries = 0; tries < 8; tries++) {
            int op = ops.get(rnd.nextInt(ops.size()));
            int before = rep.getOrDefault(op, 1);
            int r = before + 1 + rnd.nextInt(3);
            if (r > instance.ops().get(op).positions()) {
                continue;
            }
            rep.put(op, r);
            if (!fitsAlone(instance, units, rep)) {
                rep.put(op, before);
            }
        }
        rep.values().removeIf(v -> v == 1);
        return rep;
    }

    /** Whether one partition of these units and copies passes the validator's capacity checks. */
    private static boolean fitsAlone(Instance instance, List<Integer> units, Map<Integer, Integer> rep) {
        return Validator.violations(instance, new Plan(List.of(new Partition(units, rep)))).stream()
                .allMatch(v -> v.contains("runs in no partition"));
    }

    public static Instance instance(Random rnd, int id) {
        while (true) {
            Network net = network(rnd, id);
            Chip chip = chip(rnd);
            try {
                return Instance.of(net, chip, 1 + rnd.nextInt(8), Goal.parse("latency"));
            } catch (RuntimeException tooBig) {
                // e.g. a network without weighted layers on this chip; draw again
            }
        }
    }
}
