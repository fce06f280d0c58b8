package org.pimopt.solve.replication;

/** How spare crossbars of a partition are spent on copies of its ops. */
public enum ReplicationRule {
    /** One copy of everything. */
    NONE,
    /**
     * PIMCOMP-NN's balance mode as its code does it ({@link PimcompBalance}): FC layers never
     * copied, half the crossbars left after them as the budget for extra copies, the integer key
     * {@code ceil(windows / copies)}, libstdc++'s heap order among ties, and a stop at the first
     * copy that does not fit.
     */
    PIMCOMP_BALANCE,
    /**
     * pimopt's improvement on PIMCOMP's balance: the same priority (most output positions per
     * copy, exact ratio, lowest op first among ties) but every crossbar of the chip may be spent,
     * FC layers included, copies are counted into cores, and an op whose next copy does not fit
     * is left out while the others go on, so small ops soak up what is left.
     */
    BALANCE_FILL,
    /**
     * {@code clsa-greedy}'s duplication (formulations/baselines.md, "CLSA-CIM's duplication"): the
     * next copy goes to the op with the most MVM steps per sample, {@code ceil(positions / copies)}
     * (the earlier op among equals); the rule stops at the first such copy that does not fit the
     * chip's cores, or when that op already has a copy per output position. CLSA-CIM takes its
     * duplication from earlier work; this slowest-first reading is DESIGN §1's, not checked against
     * the paper's text.
     */
    CLSA_DUPLICATE,
    /**
     * The least bottleneck that fits (exact, by bisection on the stage time), then the remaining
     * crossbars spent greedily on the largest cut in pipeline fill time per crossbar.
     */
    BOTTLENECK;

    /**
     * The rules a span's copies are chosen among when it is priced as the best of several ({@code dp},
     * the COMPASS GA's fitness, dp-lattice's steps before their exact copy search).
     */
    public static final java.util.List<ReplicationRule> PER_SPAN =
            java.util.List.of(NONE, BOTTLENECK, BALANCE_FILL, CLSA_DUPLICATE, PIMCOMP_BALANCE);
}
