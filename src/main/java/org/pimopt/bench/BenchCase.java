package org.pimopt.bench;

import java.util.List;

/**
 * One instance of a suite: a model (zoo name, file path, or a synthetic network name such as
 * {@code synthetic-chain-100-s1}), a hardware preset or file, a batch size and a goal, and the
 * strategies to run on it. {@code key} is stable across runs and machines (it never holds a
 * path), so a results CSV can be resumed and shards merged by it.
 */
public record BenchCase(String suite, String key, String model, String hardware, int batch, String goal,
                        List<String> strategies) {
    public BenchCase {
        strategies = List.copyOf(strategies);
    }

    /** The usual key: {@code suite/model/hardware/bB/goal}. */
    public static String key(String suite, String modelLabel, String hardware, int batch, String goal) {
        return suite + "/" + modelLabel + "/" + hardware + "/b" + batch + "/" + goal;
    }
}
