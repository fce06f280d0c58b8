package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pimopt.cost.Goal;
import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import org.pimopt.ir.Network;
import org.pimopt.problem.Instance;

class SyntheticNetworksTest {
    private static int units(Network net, Chip chip) {
        return Instance.of(net, chip, 1, Goal.parse("latency")).units().size();
    }

    @ParameterizedTest
    @CsvSource({"chain,10,compass-s", "chain,57,compass-s", "chain,1000,compass-s", "dag,10,compass-s",
            "dag,333,compass-s", "dag,1000,compass-s", "chain,40,isaac", "dag,40,pimcomp"})
    void hasExactlyTheTargetNumberOfUnitsOnItsChip(String family, int target, String hw) {
        Chip chip = ChipLoader.load(hw);
        Network net = family.equals("chain") ? SyntheticNetworks.chain(target, 7, chip) : SyntheticNetworks.dag(target, 7, chip);
        assertEquals(target, units(net, chip));
    }

    @Test
    void sameSeedGivesTheSameNetworkAndAnotherSeedAnother() {
        Chip chip = ChipLoader.load("compass-s");
        Network a = SyntheticNetworks.byName("synthetic-dag-120-s3", chip);
        Network b = SyntheticNetworks.byName("synthetic-dag-120-s3", chip);
        Network c = SyntheticNetworks.byName("synthetic-dag-120-s4", chip);
        assertEquals(a.layers().toString(), b.layers().toString());
        assertNotEquals(a.layers().toString(), c.layers().toString());
    }

    @Test
    void aDagHasLayersWithSeveralInputs() {
        Network dag = SyntheticNetworks.dag(200, 1, ChipLoader.load("compass-s"));
        assertTrue(dag.layers().stream().anyMatch(l -> l.node().inputs().size() > 1));
        Network chain = SyntheticNetworks.chain(200, 1, ChipLoader.load("compass-s"));
        assertTrue(chain.layers().stream().allMatch(l -> l.node().inputs().size() == 1));
    }

    @Test
    void namesRoundTrip() {
        String name = SyntheticNetworks.name("chain", 50, 2);
        assertTrue(SyntheticNetworks.isSynthetic(name));
        assertEquals(50, units(SyntheticNetworks.byName(name, ChipLoader.load("compass-m")), ChipLoader.load("compass-m")));
    }
}
