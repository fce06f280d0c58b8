package org.pimopt.fuzz;

/** Values at the edges of what readers expect, which the mutations write into files. */
final class EdgeValues {
    static final long[] INTS = {0, -1, 1, 2, 3, 7, 8, 15, 16, 255, 256, 1023, 1024, 65535, 65536, 1_000_000,
        Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, 4_294_967_295L, 4_294_967_296L,
        Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 1L << 53, -(1L << 31) + 1};
    static final String[] NUMBERS = {"0", "-0", "-1", "1", "2", "0.5", "-0.5", "1.5", "1e-320", "1e308", "-1e308",
        "1e309", "1e30", "1e18", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483647",
        "2147483648", "-2147483648", "4294967296", "3.0000000001", "1e-9", "65536", "100000000", "123456789012345678901234567890"};
    static final String[] ONNX_OPS = {"Conv", "Gemm", "MatMul", "Relu", "Add", "Sub", "Mul", "Div", "Concat", "Reshape",
        "Transpose", "Flatten", "MaxPool", "AveragePool", "GlobalAveragePool", "Softmax", "BatchNormalization", "Split",
        "Slice", "Gather", "Shape", "Unsqueeze", "Squeeze", "Constant", "Identity", "Pow", "Sqrt", "ReduceMean", "Erf",
        "Tanh", "Sigmoid", "LayerNormalization", "Pad", "Resize", "Clip", "Max", "Min", "If", "Loop", "Cast", "Expand",
        "Where", "Equal", "ConstantOfShape", "Range", "Einsum", "ConvTranspose", "Dropout", "LRN", "Sum", "Mean",
        "GlobalMaxPool", "Tile", "TopK", "Not", "Neg", "Abs", "Exp", "Log", "ReduceSum", "Scan", "NoSuchOp", ""};
    static final String[] STRINGS = {"", " ", "x", "../x", "/", "a.b", "\u0000", "\uFFFD", "é", "NaN", "-1", "0",
        "1e400", "null", "compass-s", "lenet5", "resnet18", "latency", "edp", "energy", "OP_CONV", "OP_FC", "OP_INPUT",
        "OP_POOL", "OP_ELTWISE", "OP_CONCAT", "conv", "linear", "matmul", "pool", "input", "add", "concat"};

    private EdgeValues() {}
}
