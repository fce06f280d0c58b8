package org.pimopt.cost;

/** Energy of a batch by where it goes, in pJ. */
public record EnergyBreakdown(double mvmPj, double writePj, double dramPj, double vectorPj, double nocPj, double staticPj) {

    public static final EnergyBreakdown ZERO = new EnergyBreakdown(0, 0, 0, 0, 0, 0);

    public double totalPj() {
        return mvmPj + writePj + dramPj + vectorPj + nocPj + staticPj;
    }

    public EnergyBreakdown plus(EnergyBreakdown o) {
        return new EnergyBreakdown(mvmPj + o.mvmPj, writePj + o.writePj, dramPj + o.dramPj, vectorPj + o.vectorPj,
                nocPj + o.nocPj, staticPj + o.staticPj);
    }
}
