package org.pimopt.solve.mip;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.LinkedHashMap;
import java.util.Map;

/** A linear expression over MPSolver variables, built up term by term before it is posted. */
final class Lin {
    private final Map<MPVariable, Double> terms = new LinkedHashMap<>();
    private double constant;

    static Lin of(MPVariable v) {
        return new Lin().add(v, 1);
    }

    static Lin constant(double c) {
        Lin l = new Lin();
        l.constant = c;
        return l;
    }

    Lin add(MPVariable v, double coefficient) {
        if (coefficient != 0) {
            terms.merge(v, coefficient, Double::sum);
        }
        return this;
    }

    Lin add(Lin other, double factor) {
        if (factor != 0) {
            other.terms.forEach((v, c) -> add(v, c * factor));
            constant += other.constant * factor;
        }
        return this;
    }

    Lin add(Lin other) {
        return add(other, 1);
    }

    Lin addConstant(double c) {
        constant += c;
        return this;
    }

    double constant() {
        return constant;
    }

    Map<MPVariable, Double> terms() {
        return terms;
    }

    /** Its value in the solver's current solution. */
    double value() {
        double v = constant;
        for (var e : terms.entrySet()) {
            v += e.getKey().solutionValue() * e.getValue();
        }
        return v;
    }

    /** Posts {@code lo <= this <= hi}. */
    static MPConstraint post(MPSolver solver, double lo, Lin e, double hi, String name) {
        MPConstraint c = solver.makeConstraint(lo - e.constant, hi - e.constant, name);
        e.terms.forEach(c::setCoefficient);
        return c;
    }

    /** Posts {@code a >= b}. */
    static MPConstraint geq(MPSolver solver, Lin a, Lin b, String name) {
        return post(solver, 0, new Lin().add(a).add(b, -1), MPSolver.infinity(), name);
    }

    /** Posts {@code a == b}. */
    static MPConstraint eq(MPSolver solver, Lin a, Lin b, String name) {
        return post(solver, 0, new Lin().add(a).add(b, -1), 0, name);
    }
}
