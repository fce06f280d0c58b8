package org.pimopt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pimopt.check.RandomCases;
import org.pimopt.cost.BatchMetrics;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;

/**
 * With every effect in the model's form (pipeline schedule, {@link SimConfig#analytic}), the
 * simulator reproduces the cost model to the nanosecond and the picojoule, on random networks,
 * chips, batches and plans, the model's vector stage, first-sample traffic and on-chip transfers
 * included.
 */
class PipelineFidelityTest {
    static final int CASES = 150;

    @Test
    void pipelineScheduleAgreesWithTheCostModelOnRandomInstances() {
        Random rnd = new Random(20261123L);
        int multiPartition = 0;
        int vectorBound = 0;
        int withTransfers = 0;
        int singleSample = 0;
        int unitBound = 0;
        for (int i = 0; i < CASES; i++) {
            Instance instance = RandomCases.instance(rnd, i);
            Plan plan = RandomCases.plan(rnd, instance);
            multiPartition += plan.partitions().size() >= 2 ? 1 : 0;
            BatchMetrics model = plan.evaluate(instance);
            for (var m : model.partitions()) {
                vectorBound += m.vectorNs() > 0 && m.vectorNs() >= m.bottleneckNs() && m.vectorNs() > m.ioNs() ? 1 : 0;
                withTransfers += m.nocNs() > 0 ? 1 : 0;
            }
            singleSample += instance.batch() == 1 ? 1 : 0;
            if (plan.partitions().size() >= 2) {
                for (var profile : plan.profiles(instance)) {
                    double alone = profile.unitProgramNsMax();
                    unitBound += alone > org.pimopt.cost.CostModel.rowWriteNs(instance.chip(), profile.rowsProgrammed())
                            && alone > org.pimopt.cost.CostModel.weightLoadNs(instance.chip(), profile.weightBytes()) ? 1 : 0;
                }
            }
            SimResult sim = Simulator.run(instance, plan, SimConfig.analytic(Schedule.PIPELINE));
            String what = "case " + i + " (" + instance.network().name() + ", " + plan.partitions().size()
                    + " partitions, batch " + instance.batch() + ")";
            for (int p = 0; p < plan.partitions().size(); p++) {
                assertEquals(model.partitions().get(p).writeNs(), sim.partitions().get(p).writeNs(), 1e-3,
                        what + ": write ns of partition " + p);
                assertEquals(model.partitions().get(p).computeNs(), sim.partitions().get(p).computeNs(), 1e-3,
                        what + ": compute ns of partition " + p);
            }
            assertEquals(model.latencyNs(), sim.latencyNs(), 1e-3, what + ": latency ns");
            assertEquals(model.cellsWritten(), sim.cellsWritten(), what + ": cells written");
            assertEquals(model.dramBytes(), sim.dramBytes(), what + ": DRAM bytes");
            assertEquals(model.energy().mvmPj(), sim.energy().mvmPj(), 1e-3, what + ": MVM pJ");
            assertEquals(model.energy().writePj(), sim.energy().writePj(), 1e-3, what + ": write pJ");
            assertEquals(model.energy().dramPj(), sim.energy().dramPj(), 1e-3, what + ": DRAM pJ");
            assertEquals(model.energy().vectorPj(), sim.energy().vectorPj(), 1e-3, what + ": vector pJ");
            assertEquals(model.energy().nocPj(), sim.energy().nocPj(), 1e-3, what + ": NoC pJ");
            assertEquals(model.energy().staticPj(), sim.energy().staticPj(), 1e-3, what + ": static pJ");
            assertEquals(model.energy().totalPj(), sim.energy().totalPj(), 1e-3, what + ": energy pJ");
        }
        // The sample must exercise weight replacement, not only single-partition plans.
        org.junit.jupiter.api.Assertions.assertTrue(multiPartition >= CASES / 3, multiPartition + " multi-partition cases");
        // ... and the terms a first sample pays, with some partitions held back by their vector work.
        org.junit.jupiter.api.Assertions.assertTrue(vectorBound >= 5, vectorBound + " partitions whose vector stage is the slowest");
        // ... and partitions programmed no faster than one of their units fetched and then written.
        org.junit.jupiter.api.Assertions.assertTrue(unitBound >= 5, unitBound + " partitions whose write is one unit's fetch and write");
        // ... and partitions whose critical path the on-chip transfers lengthen.
        org.junit.jupiter.api.Assertions.assertTrue(withTransfers >= CASES / 2, withTransfers + " partitions with on-chip transfers on the path");
        org.junit.jupiter.api.Assertions.assertTrue(singleSample >= 10, singleSample + " cases at batch 1");
    }
}
