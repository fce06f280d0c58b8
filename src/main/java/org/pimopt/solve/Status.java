package org.pimopt.solve;

/** What a strategy can say about its plan. */
public enum Status {
    /** Proven best for the strategy's model (see the result's note for that model's scope). */
    OPTIMAL,
    /** A valid plan without a proof of optimality. */
    FEASIBLE,
    /** Proven that no valid plan exists (with limits: none that meets them; the note says within what scope). */
    INFEASIBLE,
    /** A valid plan that breaks a limit of the goal ({@code --limit}): shown for comparison, never the answer. */
    OVER_LIMIT,
    /** Neither a plan nor a proof. */
    UNKNOWN,
    /** The strategy failed (it threw, ran out of memory or stack); its note gives the one-line cause. */
    ERROR
}
