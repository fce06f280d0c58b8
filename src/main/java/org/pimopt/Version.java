package org.pimopt;

/** pimopt's version, in one place: the command line, benchmark reports and exported ONNX files read it. */
public final class Version {
    /** The release number. */
    public static final String NUMBER = "0.1.0";
    /** How the program names itself ({@code pimopt --version}). */
    public static final String LINE = "pimopt " + NUMBER;

    private Version() {}
}
