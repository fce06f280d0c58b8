package org.pimopt.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Layer;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;

/** Tiling on small cases recomputed by hand. */
class LayerTilingTest {
    /** 256x256 crossbars, 1-bit cells, 4-bit weights: 4 cells per weight, 64 weight columns. */
    private static final Chip COMPASS_S = ChipLoader.load("compass-s");

    private static Layer layer(String input, java.util.function.BiFunction<NetworkBuilder, String, String> op) {
        var b = new NetworkBuilder("t");
        String x = b.input("in", input);
        String out = op.apply(b, x);
        return Network.bind(b.build(), Map.of()).layer(out);
    }

    @Test
    void geometryCountsCellsPerWeight() {
        CrossbarGeometry g = CrossbarGeometry.of(COMPASS_S);
        assertEquals(4, g.cellsPerWeight());
        assertEquals(64, g.weightColumns());
        CrossbarGeometry isaac = CrossbarGeometry.of(ChipLoader.load("isaac"));
        assertEquals(8, isaac.cellsPerWeight());     // 16-bit weights in 2-bit cells
        assertEquals(16, isaac.weightColumns());     // 128 / 8
        assertEquals(1, CrossbarGeometry.of(ChipLoader.load("pimcomp")).cellsPerWeight());
    }

    @Test
    void a3x3ConvOf64ChannelsIsOneStripeOfThreeCrossbars() {
        // rows = 3*3*64 = 576 -> ceil(576/256) = 3 crossbars tall; cols 64 -> 1 stripe.
        LayerTiling t = LayerTiling.of(layer("64x56x56", (b, x) -> b.conv("c", x, 64, 3, 1, 1, false)), COMPASS_S);
        assertEquals(LayerTiling.Packing.DENSE, t.packing());
        assertEquals(3, t.stripeHeight());
        assertEquals(1, t.stripes());
        assertEquals(3, t.crossbarsPerCopy());
        assertEquals(List.of(new Unit(0, 0, 3, 1, 0, 64, 576L * 64, 576, 576L * 64 * 4, 576L * 64 / 2)), t.units());
        assertEquals(56L * 56, t.outputPositions());
    }

    @Test
    void unitsHoldAsManyWholeStripesAsACoreTakes() {
        // rows = 9*128 = 1152 -> 5 crossbars tall; cols 256 -> 4 stripes; a 9-crossbar core takes 1 stripe.
        LayerTiling t = LayerTiling.of(layer("128x28x28", (b, x) -> b.conv("c", x, 256, 3, 2, 1, false)), COMPASS_S);
        assertEquals(5, t.stripeHeight());
        assertEquals(4, t.units().size());
        assertEquals(20, t.crossbarsPerCopy());
        // rows = 256 -> 1 crossbar tall; cols 1000 -> 16 stripes (15 of 64 and one of 40); 9 per unit.
        LayerTiling fc = LayerTiling.of(layer("256", (b, x) -> b.linear("fc", x, 1000, true)), COMPASS_S);
        assertEquals(16, fc.stripes());
        assertEquals(2, fc.units().size());
        assertEquals(9, fc.units().get(0).crossbars());
        assertEquals(7, fc.units().get(1).crossbars());
        assertEquals(9 * 64, fc.units().get(0).outputColumns());
        assertEquals(6 * 64 + 40, fc.units().get(1).outputColumns());
        assertEquals(256L * (6 * 64 + 40) * 4, fc.units().get(1).cellsWritten());
        assertEquals(7 * 256, fc.units().get(1).rowsProgrammed());
    }

    @Test
    void vgg16Fc6StripesSpanCoresOnCompassS() {
        // rows 25088 -> 98 crossbars tall (more than a 9-crossbar core, less than the 144 on chip).
        LayerTiling t = LayerTiling.of(layer("25088", (b, x) -> b.linear("fc6", x, 4096, true)), COMPASS_S);
        assertEquals(98, t.stripeHeight());
        assertEquals(64, t.stripes());
        assertEquals(64, t.units().size());
        assertEquals(98 * 64, t.crossbarsPerCopy());
        assertEquals(1, t.rowChunks());
        assertEquals(25088L * 4096 / 2, t.weightBytes());
    }

    @Test
    void stripesTallerThanTheChipAreCutIntoRowChunks() {
        // 2 cores x 2 crossbars = 4 on chip; rows 1300 -> 6 crossbars tall -> chunks of 4 and 2 blocks.
        Chip tiny = ChipLoader.parse("{\"name\": \"tiny\", \"cores\": 2, \"crossbarsPerCore\": 2}", "tiny");
        LayerTiling t = LayerTiling.of(layer("1300", (b, x) -> b.linear("fc", x, 100, false)), tiny);
        assertEquals(6, t.stripeHeight());
        assertEquals(2, t.stripes());          // 64 + 36 columns
        assertEquals(2, t.rowChunks());
        assertEquals(4, t.units().size());
        Unit first = t.units().get(0);
        Unit second = t.units().get(1);
        assertEquals(4, first.crossbars());
        assertEquals(1024, first.rowsProgrammed());
        assertEquals(2, second.crossbars());
        assertEquals(276, second.rowsProgrammed());
        assertEquals(1, second.rowChunk());
        assertEquals(1300L * 100, t.units().stream().mapToLong(Unit::weights).sum());
    }

    @Test
    void depthwiseGroupsPackAlongTheDiagonal() {
        // 32 groups of 9x1: min(floor(256/9), floor(64/1)) = 28 per crossbar -> 2 crossbars (28 + 4).
        LayerTiling t = LayerTiling.of(layer("32x56x56", (b, x) -> b.groupConv("dw", x, 32, 3, 1, 1, 32, false)), COMPASS_S);
        assertEquals(LayerTiling.Packing.BLOCK_DIAGONAL, t.packing());
        assertEquals(28, t.groupsPerCrossbar());
        assertEquals(2, t.crossbarsPerCopy());
        assertEquals(1, t.units().size());
        assertEquals(252 + 36, t.rowsProgrammed());
        assertEquals(252L * 28 * 4 + 36L * 4 * 4, t.cellsWritten());
        assertEquals(32 * 9 / 2, t.weightBytes());
    }

    @Test
    void largeGroupsAreTiledOneByOne() {
        // 2 groups of 2304x256: 9 crossbars tall, 4 stripes each -> 8 stripes, one per 9-crossbar unit.
        LayerTiling t = LayerTiling.of(layer("512x14x14", (b, x) -> b.groupConv("g", x, 512, 3, 1, 1, 2, false)), COMPASS_S);
        assertEquals(LayerTiling.Packing.PER_GROUP, t.packing());
        assertEquals(9, t.stripeHeight());
        assertEquals(8, t.stripes());
        assertEquals(72, t.crossbarsPerCopy());
        assertEquals(8, t.units().size());
    }

    @Test
    void corePackingIsFirstFitDecreasing() {
        Unit u5 = new Unit(0, 0, 5, 1, 0, 1, 1, 1, 1, 1);
        Unit u4 = new Unit(0, 1, 4, 1, 0, 1, 1, 1, 1, 1);
        Unit u3 = new Unit(0, 2, 3, 1, 0, 1, 1, 1, 1, 1);
        Unit tall = new Unit(1, 0, 20, 1, 0, 1, 1, 1, 1, 1);   // 2 whole cores + 2 crossbars
        // 9-crossbar cores: {5,4} {3,2} plus two whole cores for the tall unit.
        assertEquals(4, CorePacking.coresNeeded(List.of(u3, u5, tall, u4), COMPASS_S));
        // {5,4} {5}: two cores although 14 crossbars would fit in two by count alone too.
        assertEquals(2, CorePacking.coresNeeded(List.of(u5, u5, u4), COMPASS_S));
        assertEquals(3, CorePacking.coresNeeded(List.of(u5, u5, u5), COMPASS_S));
    }

    @Test
    void packingIsExactWhereFirstFitDecreasingFails() {
        // 4,4,3,3,3,3 into two cores of 10: FFD fills {4,4} {3,3,3} and needs a third core;
        // {4,3,3} {4,3,3} fits.
        Chip two = ChipLoader.parse("{\"name\": \"two\", \"cores\": 2, \"crossbarsPerCore\": 10}", "two");
        List<Unit> units = new java.util.ArrayList<>();
        for (int size : new int[] {4, 4, 3, 3, 3, 3}) {
            units.add(new Unit(0, units.size(), size, 1, 0, 1, 1, 1, 1, 1));
        }
        assertEquals(3, CorePacking.coresNeeded(units, two));
        assertEquals(true, CorePacking.fits(units, two));
        units.add(new Unit(0, 6, 1, 1, 0, 1, 1, 1, 1, 1));
        assertEquals(false, CorePacking.fits(units, two));
    }
}
