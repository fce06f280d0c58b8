package org.pimopt.cli;

import org.pimopt.hw.Chip;
import org.pimopt.hw.ChipLoader;
import picocli.CommandLine.Option;

/** The option that chooses a chip: {@code --hw}. */
final class HardwareOption {
    @Option(names = "--hw", paramLabel = "PRESET|FILE", defaultValue = "compass-s",
            description = "Hardware preset (see 'pimopt hw') or a hardware file. Default: ${DEFAULT-VALUE}.")
    String hardware;

    Chip load() {
        return ChipLoader.load(hardware);
    }
}
