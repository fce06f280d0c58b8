package org.pimopt.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pimopt.PimoptException;
import org.pimopt.cost.LayerTiling;
import org.pimopt.hw.Chip;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;

/**
 * Seeded synthetic CNNs whose lowering onto a given chip has exactly a target number of units,
 * for measuring how solve time grows with network size. {@code chain}: a sequence of 1x1 and 3x3
 * convolutions (some with stride 2) and ReLUs; {@code dag}: the same with fork blocks whose two
 * branches (one or two convolutions, or a skip) are joined by a channel concat, so ops have
 * several producers and consumers. Unit counts are taken from {@link LayerTiling} itself: each
 * convolution is tiled on its own first, and the last one is narrowed until the total is exact.
 */
public final class SyntheticNetworks {
    private static final Pattern NAME = Pattern.compile("synthetic-(chain|dag)-(\\d+)-s(\\d+)");
    private static final int[] WIDTHS = {16, 32, 64, 96, 128, 192, 256, 384, 512};

    private SyntheticNetworks() {}

    /** {@code synthetic-chain-100-s1}: family, units, seed. */
    public static String name(String family, int units, long seed) {
        return "synthetic-" + family + "-" + units + "-s" + seed;
    }

    public static boolean isSynthetic(String name) {
        return NAME.matcher(name).matches();
    }

    /** The network a {@link #name} stands for, sized for {@code chip}. */
    public static Network byName(String name, Chip chip) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new PimoptException("'" + name + "' is not a synthetic network name (synthetic-chain|dag-UNITS-sSEED)");
        }
        int units = Integer.parseInt(m.group(2));
        long seed = Long.parseLong(m.group(3));
        return m.group(1).equals("chain") ? chain(units, seed, chip) : dag(units, seed, chip);
    }

    public static Network chain(int units, long seed, Chip chip) {
        return new Generator(name("chain", units, seed), units, seed, chip, false).build();
    }

    public static Network dag(int units, long seed, Chip chip) {
        return new Generator(name("dag", units, seed), units, seed, chip, true).build();
    }

    /** The tensor being extended and its shape (channels x height x width). */
    private record Tensor(String name, int channels, int height, int width) {}

    private static final class Generator {
        private final int target;
        private final SplittableRandom random;
        private final Chip chip;
        private final boolean forks;
        private final NetworkBuilder b;
        private final Map<List<Integer>, Integer> unitCache = new HashMap<>();
        private int total;
        private int layers;

        Generator(String name, int target, long seed, Chip chip, boolean forks) {
            if (target < 1) {
                throw new PimoptException("a synthetic network needs at least 1 unit, got " + target);
            }
            this.target = target;
            this.random = new SplittableRandom(seed);
            this.chip = chip;
            this.forks = forks;
            this.b = new NetworkBuilder(name).description("synthetic " + (forks ? "DAG" : "chain") + " of " + target
                    + " units on " + chip.name() + " (seed " + seed + ")").source("pimopt bench SyntheticNetworks");
        }

        Network build() {
            Tensor x = new Tensor(b.input("input", "3x32x32"), 3, 32, 32);
            while (total < target) {
                if (forks && random.nextInt(2) == 0) {
                    x = fork(x);
                } else {
                    int stride = x.height() >= 8 && random.nextInt(7) == 0 ? 2 : 1;
                    x = conv(x, stride);
                }
            }
            return Network.bind(b.build(), Map.of());
        }

        /** Two branches from {@code x}, joined by a concat; the second may be a skip. */
        private Tensor fork(Tensor x) {
            Tensor a = conv(x, 1);
            if (total < target && random.nextBoolean()) {
                a = conv(a, 1);
            }
            Tensor c = x;
            if (total < target && (x.channels() > 1024 || random.nextBoolean())) {
                // A skip keeps x's channels; past 1024 the concat would grow without bound.
                c = conv(x, 1);
            }
            String joined = b.concat("cat" + layers, 0, a.name(), c.name());
            return new Tensor(joined, a.channels() + c.channels(), x.height(), x.width());
        }

        /** A convolution and ReLU with a random width, narrowed so as not to pass the target. */
        private Tensor conv(Tensor x, int stride) {
            int kernel = x.channels() > 512 || random.nextInt(5) < 2 ? 1 : 3;
            int width = WIDTHS[random.nextInt(WIDTHS.length)];
            int need = target - total;
            int units = units(x, width, kernel, stride);
            if (units > need) {
                // Units grow by at most one per added output channel here: find the width giving exactly `need`.
                int lo = 1;
                int hi = width;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (units(x, mid, kernel, stride) >= need) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                width = lo;
                units = units(x, width, kernel, stride);
                if (units != need) {
                    throw new IllegalStateException("cannot hit " + target + " units on " + chip.name() + ": a "
                            + kernel + "x" + kernel + " conv over " + x.channels() + " channels has " + units
                            + " units at width " + width + ", " + need + " wanted");
                }
            }
            String name = "conv" + layers++;
            int pad = kernel / 2;
            String y = b.conv(name, x.name(), width, kernel, stride, pad, false);
            y = b.relu("relu" + (layers - 1), y);
            total += units;
            int h = (x.height() + 2 * pad - kernel) / stride + 1;
            int w = (x.width() + 2 * pad - kernel) / stride + 1;
            return new Tensor(y, width, h, w);
        }

        /** Units of one convolution on the chip, as the tiling counts them (on a one-layer probe network). */
        private int units(Tensor x, int width, int kernel, int stride) {
            List<Integer> key = List.of(x.channels(), x.height(), x.width(), width, kernel, stride);
            return unitCache.computeIfAbsent(key, k -> {
                NetworkBuilder probe = new NetworkBuilder("probe");
                String in = probe.input("input", x.channels() + "x" + x.height() + "x" + x.width());
                probe.conv("conv", in, width, kernel, stride, kernel / 2, false);
                Network net = Network.bind(probe.build(), Map.of());
                return LayerTiling.of(net.weightedLayers().get(0), chip).units().size();
            });
        }
    }
}
