package org.pimopt.solve.heuristic;

/** How spare crossbars of a partition are spent on copies of its ops. */
public enum ReplicationRule {
    /** One copy of everything. */
    NONE,
    /** PIMCOMP: add a copy to the op with the most output positions per copy, while one fits. */
    PIMCOMP_BALANCE,
    /** CLSA-CIM: duplicate the slowest op while it fits; stop when the slowest cannot grow. */
    CLSA_DUPLICATE,
    /**
     * The least bottleneck that fits (exact, by bisection on the stage time), then the remaining
     * crossbars spent greedily on the largest cut in pipeline fill time per crossbar.
     */
    BOTTLENECK
}
