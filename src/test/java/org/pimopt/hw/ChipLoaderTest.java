package org.pimopt.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChipLoaderTest {

    static java.util.List<String> presets() {
        return ChipLoader.presetNames();
    }

    @Test
    void sixPresetsShipWithTheTool() {
        assertEquals(java.util.List.of("compass-s", "compass-m", "compass-l", "pimcomp", "isaac", "puma"), presets());
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetLoadsAndCitesASourceForEveryField(String name) {
        Chip chip = ChipLoader.load(name);
        assertEquals(name, chip.name());
        assertTrue((long) chip.meshRows() * chip.meshCols() >= chip.cores());
        for (HardwareField f : HardwareField.values()) {
            assertTrue(chip.sources().containsKey(f.jsonName()), name + " gives no source for " + f.jsonName());
        }
    }

    @Test
    void presetsMatchTheDesignTable() {
        Chip s = ChipLoader.load("compass-s");
        assertEquals(144, s.totalCrossbars());
        assertEquals(256, s.crossbarRows());
        assertEquals(4, s.weightBits());
        assertEquals(16 * 16, ChipLoader.load("compass-m").totalCrossbars());
        assertEquals(36 * 16, ChipLoader.load("compass-l").totalCrossbars());
        assertEquals(144 * 64, ChipLoader.load("pimcomp").totalCrossbars());
        assertEquals(168 * 96, ChipLoader.load("isaac").totalCrossbars());
        assertEquals(138 * 128, ChipLoader.load("puma").totalCrossbars());
        // The COMPASS chips' published powers are reproduced by the assumed split: periphery static
        // power plus every crossbar busy with one MVM per mvmLatencyNs.
        for (String n : new String[] {"compass-s", "compass-m", "compass-l"}) {
            Chip c = ChipLoader.load(n);
            double watts = c.staticPowerW() + c.totalCrossbars() * c.mvmEnergyPj() / c.mvmLatencyNs() * 1e-3;
            double published = switch (n) {
                case "compass-s" -> 1.57;
                case "compass-m" -> 2.80;
                default -> 6.30;
            };
            assertEquals(published, watts, 0.01, n);
        }
    }

    @Test
    void missingFieldsTakeTheirDocumentedDefaults() {
        Chip c = ChipLoader.parse("{\"name\": \"tiny\", \"cores\": 6}", "tiny.json");
        assertEquals(6, c.cores());
        assertEquals(2, c.meshRows());
        assertEquals(3, c.meshCols());
        assertEquals((int) HardwareField.CROSSBARS_PER_CORE.defaultValue(), c.crossbarsPerCore());
        assertEquals(HardwareField.DRAM_GBPS.defaultValue(), c.dramGBps());
    }

    private static String error(String json) {
        return assertThrows(HardwareException.class, () -> ChipLoader.parse(json, "chip.json")).getMessage();
    }

    @Test
    void badFilesGiveOneLineNamingFileAndField() {
        assertEquals("chip.json: field 'cores' = 0 is out of range [1, 1000000] count", error("{\"cores\": 0}"));
        assertTrue(error("{\"dramGBps\": -3}").startsWith("chip.json: field 'dramGBps' = -3"));
        assertTrue(error("{\"corez\": 4}").contains("corez"));
        assertTrue(error("{\"cores\": 9, \"meshRows\": 2, \"meshCols\": 2}").contains("'meshRows' x 'meshCols'"));
        assertTrue(error("{\"crossbarCols\": 2, \"weightBits\": 8, \"bitsPerCell\": 1}").contains("'crossbarCols'"));
        assertTrue(error("{\"sources\": {\"cors\": \"x\"}}").contains("'cors'"));
        assertTrue(error("not json").startsWith("chip.json: not a hardware file"));
        for (String m : new String[] {error("{\"cores\": 0}"), error("{\"corez\": 4}"), error("[1,2]")}) {
            assertTrue(!m.contains("\n"), m);
        }
    }

    @Test
    void unknownNamesListThePresets() {
        String m = assertThrows(HardwareException.class, () -> ChipLoader.load("compass-xl")).getMessage();
        assertTrue(m.contains("compass-s") && m.contains("puma"), m);
    }
}
