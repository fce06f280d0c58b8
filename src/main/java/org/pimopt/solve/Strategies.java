package org.pimopt.solve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pimopt.PimoptException;
import org.pimopt.solve.choco.ChocoStrategy;
import org.pimopt.solve.cpsat.CpSatStrategy;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.dp.LatticeDp;
import org.pimopt.solve.heuristic.CompassGa;
import org.pimopt.solve.heuristic.SpanStrategy;
import org.pimopt.solve.mip.MipStrategy;

/** Every strategy by the name users type. */
public final class Strategies {
    private static final Map<String, Supplier<Strategy>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("cpsat", CpSatStrategy::new);
        ALL.put("layerwise", SpanStrategy::layerwise);
        ALL.put("greedy", SpanStrategy::greedy);
        ALL.put("pimcomp-balance", SpanStrategy::pimcompBalance);
        ALL.put("pimcomp-fill", SpanStrategy::pimcompFill);
        ALL.put("clsa-greedy", SpanStrategy::clsaGreedy);
        ALL.put("compass-ga", CompassGa::new);
        ALL.put("dp", DpStrategy::new);
        ALL.put("dp-exact", DpStrategy::exact);
        ALL.put("dp-lattice", LatticeDp::new);
        ALL.put("cpsat-fixed", CpSatStrategy::fixedOrder);
        ALL.put("choco", ChocoStrategy::new);
        ALL.put("mip", MipStrategy::scip);
        ALL.put("mip-cbc", MipStrategy::cbc);
        ALL.put("mip-highs", MipStrategy::highs);
    }

    private Strategies() {}

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Strategy byName(String name) {
        Supplier<Strategy> s = ALL.get(name.trim());
        if (s == null) {
            throw new PimoptException("unknown strategy '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return s.get();
    }
}
