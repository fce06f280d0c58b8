package org.pimopt.solve.placement;

import org.pimopt.solve.Status;

/**
 * The placement of one partition and its baselines.
 *
 * @param coreOf           core of every item of the problem
 * @param status           OPTIMAL when CP-SAT proved the byte-hops minimal, FEASIBLE otherwise
 * @param byteHops         NoC byte-hops per sample of {@code coreOf}
 * @param boundByteHops    best proven lower bound on byte-hops
 * @param maxLinkBytes     bytes per sample on the most-loaded link of {@code coreOf}
 * @param linkOptimal      whether the most-loaded link was minimized (among byte-hop optima) and proven
 * @param firstFitByteHops byte-hops of PIMCOMP-style first-fit (NaN when it does not fit)
 * @param snakeByteHops    byte-hops of MNSIM-style snake order (NaN when it does not fit)
 * @param firstFitMaxLink  most-loaded link of first-fit
 * @param snakeMaxLink     most-loaded link of snake order
 * @param wallMillis       solver wall time
 * @param fallback         null when the solver's own search gave {@code coreOf}; else the layout it
 *                         fell back to because it found none in its share of the time ("first-fit",
 *                         "snake" or "exact packing"), which callers name to the user
 */
public record PlacementResult(int[] coreOf, Status status, double byteHops, double boundByteHops, double maxLinkBytes,
                              boolean linkOptimal, double firstFitByteHops, double snakeByteHops, double firstFitMaxLink,
                              double snakeMaxLink, long wallMillis, String fallback) {
    /** Relative gap of byte-hops to the bound. */
    public double gap() {
        return byteHops <= 0 ? 0 : Math.max(0, (byteHops - boundByteHops) / byteHops);
    }
}
