package org.pimopt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EventEngineTest {
    private static final EventEngine.Listener QUIET = new EventEngine.Listener() {
        @Override
        public void started(int task, double timeNs) {}

        @Override
        public void finished(int task, double timeNs) {}
    };

    private static int task(EventEngine e, int res, double ns) {
        return e.addTask(Timeline.MVM, res, ns, 0, 0, 0, 0);
    }

    @Test
    void aResourceOfOneSlotServesOneTaskAtATimeLowestIdFirst() {
        EventEngine e = new EventEngine();
        int r = e.addResource(1);
        int gate = task(e, -1, 5);
        int late = task(e, r, 10);      // ready at 0
        int early = task(e, r, 10);     // ready at 5, waits
        int first = task(e, r, 10);     // ready at 5, waits, but created after 'early'
        e.depend(early, gate);
        e.depend(first, gate);
        assertEquals(0, e.run(QUIET));
        assertEquals(0, e.start(late));
        assertEquals(10, e.start(early));
        assertEquals(20, e.start(first));
        assertEquals(30, e.finish(first));
        assertEquals(4, e.events());
    }

    @Test
    void slotsRunInParallelAndDependenciesWaitForTheLastPredecessor() {
        EventEngine e = new EventEngine();
        int pool = e.addResource(2);
        int a = task(e, pool, 4);
        int b = task(e, pool, 6);
        int c = task(e, pool, 1);
        int join = task(e, -1, 0);
        e.depend(join, a);
        e.depend(join, b);
        e.depend(join, c);
        e.run(QUIET);
        assertEquals(0, e.start(b));
        assertEquals(4, e.start(c), "the third task takes the first slot that frees");
        assertEquals(6, e.finish(join));
    }

    @Test
    void aCycleLeavesItsTasksUnrun() {
        EventEngine e = new EventEngine();
        int a = task(e, -1, 1);
        int b = task(e, -1, 1);
        int free = task(e, -1, 1);
        e.depend(a, b);
        e.depend(b, a);
        assertEquals(2, e.run(QUIET));
        assertEquals(1, e.finish(free));
    }
}
