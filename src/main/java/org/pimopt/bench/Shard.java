package org.pimopt.bench;

import java.util.ArrayList;
import java.util.List;
import org.pimopt.PimoptException;

/**
 * One of {@code count} slices of a case list: the cases at positions {@code index}, {@code index +
 * count}, ... Indices start at 0, as Kubernetes' JOB_COMPLETION_INDEX and a Slurm array
 * {@code --array=0-(n-1)} give them, so every case lands in exactly one shard.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new PimoptException("shard " + index + "/" + count + " does not exist (use i/n with 0 <= i < n)");
        }
    }

    /** Parses {@code i/n}. */
    public static Shard parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("/");
        if (parts.length != 2) {
            throw new PimoptException("--shard '" + text + "': expected i/n, e.g. 0/4");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new PimoptException("--shard '" + text + "': expected two whole numbers i/n, e.g. 0/4");
        }
    }

    public <T> List<T> select(List<T> items) {
        List<T> out = new ArrayList<>();
        for (int i = index; i < items.size(); i += count) {
            out.add(items.get(i));
        }
        return out;
    }

    public boolean isAll() {
        return count == 1;
    }

    /** File-name suffix of this shard's CSV: empty for the whole list. */
    public String fileSuffix() {
        return isAll() ? "" : ".shard-" + index + "-of-" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
