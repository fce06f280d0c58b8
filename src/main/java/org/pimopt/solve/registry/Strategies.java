package org.pimopt.solve.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pimopt.PimoptException;
import org.pimopt.solve.Strategy;
import org.pimopt.solve.choco.ChocoStrategy;
import org.pimopt.solve.cpsat.CpSatStrategy;
import org.pimopt.solve.dp.DpStrategy;
import org.pimopt.solve.exact.ExactStrategy;
import org.pimopt.solve.heuristic.CompassGa;
import org.pimopt.solve.heuristic.SpanStrategy;
import org.pimopt.solve.lattice.LatticeDp;
import org.pimopt.solve.mip.MipStrategy;

/**
 * Every strategy by the name users type, the one place names are read: {@code solve}, {@code bench}
 * and the suites all come here. Besides the fixed names, {@code cpsat-kN} is CP-SAT held to at
 * most N partitions.
 */
public final class Strategies {
    private static final Map<String, Supplier<Strategy>> ALL = new LinkedHashMap<>();

    /**
     * The engines that search for a proof, as opposed to heuristics: they run after the heuristics,
     * from the best plan so far, and share what is left of the budget. dp-lattice, dp-exact and
     * cpsat-fixed prove too but are quick or restricted and run in the heuristics' order.
     */
    public static final List<String> EXACT_ENGINES = List.of("exact", "cpsat", "choco", "mip");

    private static final Pattern CPSAT_K = Pattern.compile("cpsat-k(\\d+)");

    static {
        ALL.put("exact", ExactStrategy::new);
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

    /** The fixed names, in the order of {@code solve --help}. */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** Whether a strategy is an exact engine of {@link #EXACT_ENGINES}, a {@code mip-*} solver or a {@code cpsat-kN}. */
    public static boolean isExact(String name) {
        String n = name.trim();
        return EXACT_ENGINES.contains(n) || n.startsWith("mip-") || CPSAT_K.matcher(n).matches();
    }

    /** The partition limit N of a {@code cpsat-kN}, or null for any other name. */
    public static Integer partitionLimit(String name) {
        Matcher m = CPSAT_K.matcher(name.trim());
        if (!m.matches()) {
            return null;
        }
        // K counts partitions: one at least, and within an int (a longer string would overflow).
        int k = m.group(1).length() > 9 ? 0 : Integer.parseInt(m.group(1));
        if (k < 1) {
            throw new PimoptException("strategy '" + name + "': K in cpsat-kN must be a whole number from 1 to"
                    + " 999999999 (partitions), got " + m.group(1));
        }
        return k;
    }

    public static Strategy byName(String name) {
        Integer k = partitionLimit(name);
        if (k != null) {
            return new CpSatStrategy(k);
        }
        Supplier<Strategy> s = ALL.get(name.trim());
        if (s == null) {
            throw new PimoptException("unknown strategy '" + name + "' (known: " + String.join(", ", names())
                    + ", and cpsat-kN for CP-SAT held to at most N partitions)");
        }
        return s.get();
    }
}
