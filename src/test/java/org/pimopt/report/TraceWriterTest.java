package org.pimopt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pimopt.TestNetworks;
import org.pimopt.cost.Goal;
import org.pimopt.plan.Partition;
import org.pimopt.plan.Plan;
import org.pimopt.problem.Instance;
import org.pimopt.sim.Schedule;
import org.pimopt.sim.SimConfig;
import org.pimopt.sim.SimResult;
import org.pimopt.sim.Simulator;
import org.pimopt.sim.Timeline;

class TraceWriterTest {
    @TempDir
    Path dir;

    @Test
    void traceMergesTasksPerLayerAndTrackAndKeepsEveryOneCounted() throws Exception {
        Instance instance = Instance.of(TestNetworks.smallResidual(), TestNetworks.chip(4, 16), 8, Goal.parse("latency"));
        List<Integer> all = instance.units().stream().map(u -> u.id()).toList();
        Plan plan = new Plan(List.of(new Partition(all.subList(0, 2), Map.of()), new Partition(all.subList(2, all.size()), Map.of())));
        SimResult sim = Simulator.run(instance, plan, SimConfig.physical(Schedule.CROSS_LAYER));
        Path file = dir.resolve("trace.json");
        TraceWriter.write(file, sim.timeline(), "test");

        JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        int slices = 0;
        long mergedMvm = 0;
        int mvmSlices = 0;
        Set<String> processes = new HashSet<>();
        for (JsonElement e : root.getAsJsonArray("traceEvents")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("ph").getAsString().equals("M") && o.get("name").getAsString().equals("process_name")) {
                processes.add(o.getAsJsonObject("args").get("name").getAsString());
            }
            if (o.get("ph").getAsString().equals("X")) {
                slices++;
                if (o.get("cat").getAsString().equals("mvm")) {
                    mvmSlices++;
                    mergedMvm += o.getAsJsonObject("args").get("tasks").getAsLong();
                }
                assertTrue(o.get("dur").getAsDouble() > 0);
            }
        }
        Timeline tl = sim.timeline();
        long mvmTasks = 0;
        for (int t = 0; t < tl.tasks(); t++) {
            if (tl.kind(t) == Timeline.MVM && tl.endNs(t) > tl.startNs(t)) {
                mvmTasks++;
            }
        }
        assertEquals(mvmTasks, mergedMvm, "every MVM task is in exactly one slice");
        assertTrue(mvmSlices < mvmTasks, mvmSlices + " MVM slices for " + mvmTasks + " MVM tasks: aggregation merges");
        assertTrue(slices > mvmSlices, "DRAM, write and vector slices too");
        assertTrue(processes.containsAll(Set.of("core 0", "core 3", "DRAM", "write engine")), processes.toString());
    }
}
