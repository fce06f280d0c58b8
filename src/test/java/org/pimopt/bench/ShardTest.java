package org.pimopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pimopt.PimoptException;

class ShardTest {
    @Test
    void shardsPartitionTheCaseListExactly() {
        for (int size : new int[] {0, 1, 7, 45, 78}) {
            List<Integer> cases = IntStream.range(0, size).boxed().toList();
            for (int n = 1; n <= 9; n++) {
                List<Integer> union = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    List<Integer> part = new Shard(i, n).select(cases);
                    assertEquals(size / n + (i < size % n ? 1 : 0), part.size());
                    union.addAll(part);
                }
                union.sort(null);
                assertEquals(cases, union, "n = " + n + ", " + size + " cases");
            }
        }
    }

    @Test
    void parsesIOverNAndRefusesNonsense() {
        assertEquals(new Shard(2, 5), Shard.parse("2/5"));
        assertEquals(".shard-2-of-5", Shard.parse(" 2 / 5 ").fileSuffix());
        assertEquals("", Shard.ALL.fileSuffix());
        for (String bad : new String[] {"5/5", "-1/3", "1", "a/b", "1/0", "1/2/3"}) {
            assertThrows(PimoptException.class, () -> Shard.parse(bad), bad);
        }
    }
}
