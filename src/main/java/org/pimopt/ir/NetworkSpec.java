package org.pimopt.ir;

import java.util.List;

/**
 * A network as described in a file: ops and their connections, with input shapes that may name
 * symbols (a transformer's sequence length). {@link Network#bind} makes it concrete.
 */
public record NetworkSpec(String name, String description, String source, List<Symbol> symbols,
                          List<Input> inputs, List<Node> nodes, List<String> outputs) {

    /** A named dimension with the value it takes when the user does not give one. */
    public record Symbol(String name, int defaultValue, String doc) {
        public Symbol {
            if (!ShapeSpec.isSymbolName(name)) {
                throw new IrException("symbol '" + name + "' is not an identifier without 'x'");
            }
            if (defaultValue <= 0) {
                throw new IrException("symbol '" + name + "' needs a positive default value");
            }
        }
    }

    /** A graph input: one sample's shape. */
    public record Input(String name, ShapeSpec shape) {}

    public NetworkSpec {
        symbols = List.copyOf(symbols);
        inputs = List.copyOf(inputs);
        nodes = List.copyOf(nodes);
        outputs = List.copyOf(outputs);
    }
}
