package org.pimopt.imports.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * ONNX shape rules on full (batch-first) dims, for constants and for the ops whose output shape
 * pimopt computes itself before choosing the per-sample op. Errors are IllegalArgumentExceptions
 * whose message the importer prefixes with the file and node.
 */
final class ShapeMath {
    private ShapeMath() {}

    static long product(List<Long> dims) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static int normalizeAxis(long axis, int rank, String what) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Reshape target rules: 0 copies the input dimension (unless allowZero), one -1 is inferred. */
    static List<Long> reshape(List<Long> in, List<Long> target, boolean allowZero) {
        List<Long> out = new ArrayList<>();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.size(); i++) {
            long d = target.get(i);
            if (d == 0 && !allowZero) {
                if (i >= in.size()) {
                    throw new IllegalArgumentException("reshape target " + target + " copies dimension " + i + " that " + in + " lacks");
                }
                d = in.get(i);
            }
            if (d == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("reshape target " + target + " has two -1");
                }
                inferred = i;
                out.add(1L);
                continue;
            }
            if (d < 0) {
                throw new IllegalArgumentException("reshape target " + target + " has dimension " + d);
            }
            known = Math.multiplyExact(known, d);
            out.add(d);
        }
        long total = product(in);
        if (inferred >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + in + " to " + target);
            }
            out.set(inferred, total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("cannot reshape " + in + " (" + total + " elements) to " + target);
        }
        return out;
    }

    /** Numpy broadcasting of several shapes. */
    static List<Long> broadcast(List<List<Long>> shapes) {
        int rank = shapes.stream().mapToInt(List::size).max().orElse(0);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            long d = 1;
            for (List<Long> s : shapes) {
                int j = i - (rank - s.size());
                long e = j < 0 ? 1 : s.get(j);
                if (e != 1 && d != 1 && e != d) {
                    throw new IllegalArgumentException("shapes " + shapes + " do not broadcast");
                }
                if (e != 1) {
                    d = e;
                } else if (d == 1 && e == 0) {
                    d = 0;
                }
            }
            out.add(d);
        }
        return out;
    }

    static List<Long> flatten(List<Long> in, long axis) {
        int a = (int) (axis < 0 ? axis + in.size() : axis);
        if (a < 0 || a > in.size()) {
            throw new IllegalArgumentException("flatten axis " + axis + " is out of range for " + in);
        }
        return List.of(product(in.subList(0, a)), product(in.subList(a, in.size())));
    }

    /** Squeeze of the given axes (or every 1 when {@code axes} is null, from {@code firstAxis} on). */
    static List<Long> squeeze(List<Long> in, List<Long> axes, int firstAxis) {
        boolean[] drop = new boolean[in.size()];
        if (axes == null) {
            for (int i = firstAxis; i < in.size(); i++) {
                drop[i] = in.get(i) == 1;
            }
        } else {
            for (long axis : axes) {
                int a = normalizeAxis(axis, in.size(), "squeeze axis");
                if (in.get(a) != 1) {
                    throw new IllegalArgumentException("cannot squeeze axis " + axis + " of " + in + ": it is not 1");
                }
                drop[a] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (!drop[i]) {
                out.add(in.get(i));
            }
        }
        return out;
    }

    static List<Long> unsqueeze(List<Long> in, List<Long> axes) {
        int rank = in.size() + axes.size();
        boolean[] insert = new boolean[rank];
        for (long axis : axes) {
            int a = normalizeAxis(axis, rank, "unsqueeze axis");
            if (insert[a]) {
                throw new IllegalArgumentException("unsqueeze names axis " + axis + " twice");
            }
            insert[a] = true;
        }
        List<Long> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < rank; i++) {
            out.add(insert[i] ? 1L : in.get(next++));
        }
        return out;
    }

    static List<Long> transpose(List<Long> in, List<Long> perm) {
        if (perm.size() != in.size()) {
            throw new IllegalArgumentException("transpose perm " + perm + " does not fit rank " + in.size());
        }
        boolean[] seen = new boolean[in.size()];
        List<Long> out = new ArrayList<>();
        for (long p : perm) {
            int a = normalizeAxis(p, in.size(), "transpose perm entry");
            if (seen[a]) {
                throw new IllegalArgumentException("transpose perm " + perm + " is not a permutation");
            }
            seen[a] = true;
            out.add(in.get(a));
        }
        return out;
    }

    /**
     * Where a size-1 batch axis at {@code batch} of {@code in} lands when {@code in} is reshaped to
     * {@code out}: a size-1 axis of {@code out} with as many elements before it, the k-th such axis
     * when the batch was the k-th of its kind; -1 when the reshape merges it with other axes.
     */
    static int batchAfterReshape(List<Long> in, int batch, List<Long> out) {
        long before = product(in.subList(0, batch));
        int rankAmongOnes = 0;
        for (int j = 0; j < batch; j++) {
            rankAmongOnes += in.get(j) == 1 && product(in.subList(0, j)) == before ? 1 : 0;
        }
        List<Integer> candidates = new ArrayList<>();
        for (int q = 0; q < out.size(); q++) {
            if (out.get(q) == 1 && product(out.subList(0, q)) == before) {
                candidates.add(q);
            }
        }
        return candidates.isEmpty() ? -1 : candidates.get(Math.min(rankAmongOnes, candidates.size() - 1));
    }

    static List<Long> reversed(int rank) {
        List<Long> perm = new ArrayList<>();
        for (int i = rank - 1; i >= 0; i--) {
            perm.add((long) i);
        }
        return perm;
    }

    /** One axis of a slice, with starts and ends resolved and clamped as the ONNX spec says. */
    record SliceAxis(int axis, long start, long step, long length) {}

    static List<SliceAxis> slice(List<Long> in, List<Long> starts, List<Long> ends, List<Long> axes, List<Long> steps) {
        if (starts.size() != ends.size() || (axes != null && axes.size() != starts.size())
                || (steps != null && steps.size() != starts.size())) {
            throw new IllegalArgumentException("slice starts " + starts + ", ends " + ends + ", axes " + axes
                    + " and steps " + steps + " differ in length");
        }
        List<SliceAxis> out = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int a = normalizeAxis(axes == null ? i : axes.get(i), in.size(), "slice axis");
            long dim = in.get(a);
            long step = steps == null ? 1 : steps.get(i);
            if (step == 0) {
                throw new IllegalArgumentException("slice step is 0");
            }
            long start = clampIndex(starts.get(i), dim, step);
            long end = clampIndex(ends.get(i), dim, step);
            long length = step > 0 ? Math.max(0, ceilDiv(end - start, step)) : Math.max(0, ceilDiv(start - end, -step));
            out.add(new SliceAxis(a, start, step, length));
        }
        return out;
    }

    private static long clampIndex(long index, long dim, long step) {
        long i = index < 0 ? Math.max(index, -dim - 1) + dim : index;
        return step > 0 ? Math.max(0, Math.min(dim, i)) : Math.max(-1, Math.min(dim - 1, i));
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    static List<Long> sliceDims(List<Long> in, List<SliceAxis> axes) {
        List<Long> out = new ArrayList<>(in);
        for (SliceAxis s : axes) {
            out.set(s.axis(), s.length());
        }
        return out;
    }
}
