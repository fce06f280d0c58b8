package org.pimopt.solve.choco;

import org.chocosolver.solver.variables.IntVar;

/**
 * Energy-delay product on top of {@link ChocoModel}, in 32-bit integers: {@code prod = Lc * Ec}
 * with {@code tu * Lc >= L} and {@code eu * Ec >= E + E0} ({@code L}, {@code E} the model's latency
 * and plan-dependent energy, {@code E0} the energy no plan changes), minimized. The coarse units
 * {@code tu}, {@code eu} keep each factor below {@link #FACTOR_LIMIT}, so the product stays below
 * 2^31; the model's latency and energy domains are capped from the warm start, so the factors
 * span a narrow range and the units stay fine (the same construction as CP-SAT's
 * {@code EdpModel}, at 32 bits instead of 64).
 */
final class ChocoEdp {
    /** Largest value of each factor: {@code 44,001^2 < ChocoModel.LIMIT}. */
    static final long FACTOR_LIMIT = 44_000;

    final IntVar product;
    /** Model time units per unit of {@code Lc}, model energy units per unit of {@code Ec}. */
    final long timeUnit;
    final long energyUnit;
    /** Relative error the coarse units add at most: {@code (1 + tu / Lmin)(1 + eu / Emin) - 1}. */
    final double coarseError;

    /**
     * @param latencyMinNs  a bound below every plan's latency (ns)
     * @param energyMinPj   a bound below every plan's total energy (pJ)
     * @param constantPj    the energy no plan changes (MVMs, vector work, partial sums), left out of the model
     */
    ChocoEdp(ChocoModel cm, IntVar latency, IntVar energy, double latencyMinNs, double energyMinPj, double constantPj) {
        double latencyMax = latency.getUB();
        double constant = constantPj * cm.energyScale;
        double energyMax = energy.getUB() + constant;
        timeUnit = Math.max(1, (long) Math.ceil(latencyMax / FACTOR_LIMIT));
        energyUnit = Math.max(1, (long) Math.ceil(energyMax / FACTOR_LIMIT));
        coarseError = (1 + timeUnit / Math.max(1, latencyMinNs * cm.timeScale))
                * (1 + energyUnit / Math.max(1, energyMinPj * cm.energyScale)) - 1;
        // Ec = Ec' + c0 with c0 = floor(E0 / eu): the constant need not fit 32 bits itself.
        long c0 = (long) Math.floor(constant / energyUnit);
        long rest = Math.round(constant - (double) c0 * energyUnit);
        int lcMax = Math.toIntExact((long) Math.ceil(latencyMax / timeUnit) + 1);
        int ecMax = Math.toIntExact((long) Math.ceil((energyMax - (double) c0 * energyUnit) / energyUnit) + 1);
        IntVar lc = cm.model.intVar("edp_latency", 0, lcMax);
        IntVar ecVariable = cm.model.intVar("edp_energy", 0, ecMax);
        cm.model.scalar(new IntVar[] {lc, latency}, new int[] {Math.toIntExact(timeUnit), -1}, ">=", 0).post();
        cm.model.scalar(new IntVar[] {ecVariable, energy}, new int[] {Math.toIntExact(energyUnit), -1}, ">=",
                Math.toIntExact(rest)).post();
        IntVar ec = cm.model.intOffsetView(ecVariable, Math.toIntExact(c0));
        product = cm.model.intVar("edp", 0, Math.toIntExact(Math.min(ChocoModel.LIMIT, (long) lcMax * (ecMax + c0))));
        cm.model.times(lc, ec, product).post();
    }

    /** The product in cost-model units (pJ x ns), for a model value of {@link #product}. */
    double pjNs(long value, ChocoModel cm) {
        return (double) value * timeUnit * energyUnit / ((double) cm.timeScale * cm.energyScale);
    }
}
