package org.pimopt.ir;

import java.util.ArrayList;
import java.util.List;

/** Numpy broadcasting of two shapes. */
final class Broadcast {
    private Broadcast() {}

    static Shape shapes(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Integer> dims = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new IrException("shapes " + a + " and " + b + " do not broadcast");
            }
            dims.add(Math.max(da, db));
        }
        return new Shape(dims);
    }
}
