package org.pimopt.bench;

import java.util.Map;
import org.pimopt.hw.Chip;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.ir.Network;

/** Resolves a case's model: a synthetic network name (sized for the chip), a zoo name or a file path. */
final class Models {
    private Models() {}

    static Network load(String model, Chip chip) {
        if (SyntheticNetworks.isSynthetic(model)) {
            return SyntheticNetworks.byName(model, chip);
        }
        return ModelCatalog.load(model, Map.of());
    }
}
