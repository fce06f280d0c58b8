package org.pimopt.ir;

/**
 * The weight-stationary view of a weighted op: {@code groups} independent matrices of
 * {@code rows x cols} weights each (rows = inputs of one dot product, cols = outputs). A dense conv
 * has {@code rows = Kh*Kw*Cin}, {@code cols = Cout}; a grouped one divides both by the groups.
 */
public record MatrixView(int rows, int cols, int groups) {
    public MatrixView {
        if (rows <= 0 || cols <= 0 || groups <= 0) {
            throw new IrException("matrix " + rows + "x" + cols + " x" + groups + " groups is empty");
        }
    }

    public long weights() {
        return (long) rows * cols * groups;
    }
}
