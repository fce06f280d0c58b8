package org.pimopt.solve.lattice;

/** A step worth working on: the {@code k}-th step from set {@code from}, and the floor of chains through it. */
record Candidate(int from, int k, double floor) {}
