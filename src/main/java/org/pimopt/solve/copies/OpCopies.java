package org.pimopt.solve.copies;

import java.util.List;
import org.pimopt.cost.Unit;

/**
 * One op of a span as the copy search sees it: its units in the span, what one copy of them takes
 * (crossbars, rows programmed, cells written, half-cores in any packing), and its useful copy counts.
 */
record OpCopies(int op, List<Unit> units, long crossbars, long rows, long cells, long halfCores, int[] counts) {}
