package org.pimopt.solve;

import org.pimopt.problem.Instance;

/** A way to compute a plan for an instance. Implementations are stateless. */
public interface Strategy {
    /** The name users type: {@code greedy}, {@code dp}, ... */
    String name();

    SolveResult solve(Instance instance, SolveOptions options);
}
