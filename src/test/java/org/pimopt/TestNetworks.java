package org.pimopt;

import java.util.Map;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Network;
import org.pimopt.ir.NetworkBuilder;

/** Small networks and chips for tests, small enough to enumerate every plan. */
public final class TestNetworks {
    private TestNetworks() {}

    /** A chip of {@code cores} cores with {@code crossbars} crossbars each, otherwise the defaults. */
    public static Chip chip(int cores, int crossbars) {
        return ChipLoader.parse("{\"name\": \"test-" + cores + "x" + crossbars + "\", \"cores\": " + cores
                + ", \"crossbarsPerCore\": " + crossbars + "}", "test chip");
    }

    /** conv -> relu -> pool -> conv -> relu -> (residual add) -> conv -> global pool -> fc. */
    public static Network smallResidual() {
        var b = new NetworkBuilder("small-residual");
        String x = b.input("input", "3x16x16");
        x = b.conv("conv1", x, 64, 3, 1, 1, false);
        x = b.relu("relu1", x);
        x = b.maxPool("pool1", x, 2, 2, 0, false);
        String y = b.conv("conv2", x, 64, 3, 1, 1, false);
        y = b.relu("relu2", y);
        x = b.eltwise("add", "add", x, y);
        x = b.conv("conv3", x, 128, 3, 2, 1, false);
        x = b.globalAvgPool("gap", x);
        x = b.flatten("flatten", x);
        b.linear("fc", x, 10, true);
        return Network.bind(b.build(), Map.of());
    }

    /**
     * A residual block whose first ReLU acts on the network's input, so it is fed from DRAM alone
     * and read by a convolution and by the residual add (a vector layer that runs where its first
     * reader starts, while the add waits for the convolution).
     */
    public static Network inputReluResidual() {
        var b = new NetworkBuilder("input-relu-residual");
        String x = b.input("input", "16x8x8");
        x = b.relu("relu0", x);
        String y = b.conv("conv1", x, 16, 3, 1, 1, false);
        y = b.relu("relu1", y);
        y = b.conv("conv2", y, 16, 3, 1, 1, false);
        x = b.eltwise("add", "add", x, y);
        x = b.globalAvgPool("gap", x);
        x = b.flatten("flatten", x);
        b.linear("fc", x, 10, true);
        return Network.bind(b.build(), Map.of());
    }

    /**
     * Two vector layers on the network's input before the first convolution: a chain fed only from
     * DRAM, which runs where its first reader (conv1) starts, never later.
     */
    public static Network dramFedChain() {
        var b = new NetworkBuilder("dram-fed-chain");
        String x = b.input("input", "256x32x32");
        for (int i = 1; i <= 4; i++) {
            x = b.relu("relu" + i, x);
        }
        x = b.conv("conv1", x, 8, 1, 1, 0, false);
        for (int i = 2; i <= 4; i++) {
            x = b.conv("conv" + i, x, 64, 3, 1, 1, false);
        }
        return Network.bind(b.build(), Map.of());
    }

    /**
     * A network with a second output that is a ReLU of the input, read by no layer: it runs in the
     * first partition, whichever units that holds.
     */
    public static Network sideOutputOnInput() {
        var b = new NetworkBuilder("side-output-on-input");
        String in = b.input("input", "64x16x16");
        String side = b.relu("side", in);
        String x = b.conv("conv1", in, 32, 3, 1, 1, false);
        x = b.relu("relu1", x);
        x = b.conv("conv2", x, 32, 3, 1, 1, false);
        x = b.conv("conv3", x, 32, 3, 1, 1, false);
        b.output(side);
        b.output(x);
        return Network.bind(b.build(), Map.of());
    }

    /** A chain of fully connected layers of the given widths (input width first). */
    public static Network mlp(int... widths) {
        var b = new NetworkBuilder("mlp");
        String x = b.input("input", Integer.toString(widths[0]));
        for (int i = 1; i < widths.length; i++) {
            x = b.linear("fc" + i, x, widths[i], true);
            if (i + 1 < widths.length) {
                x = b.relu("relu" + i, x);
            }
        }
        return Network.bind(b.build(), Map.of());
    }
}
