package org.pimopt.bench;

import java.nio.file.Path;
import java.util.List;

/** A named set of cases and the report made from their results. */
public interface Suite {
    String name();

    /** The cases in a fixed order (shards and resumption rely on it). */
    List<BenchCase> cases(SuiteOptions options);

    /**
     * Writes {@code NAME.md} and its plots into {@code dir} from the rows of {@code NAME.csv};
     * {@code comments} are that file's header lines (command, machine, versions).
     */
    void report(List<ResultRow> rows, List<String> comments, Path dir);

    /**
     * @param quick          the small variant (minutes rather than an hour)
     * @param peerModels     folder of PIMCOMP-NN's model files (the pimcomp suite), may not exist
     */
    record SuiteOptions(boolean quick, Path peerModels) {}
}
