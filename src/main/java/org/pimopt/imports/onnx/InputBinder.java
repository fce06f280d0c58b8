package org.pimopt.imports.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pimopt.imports.common.ImportException;
import org.pimopt.imports.common.ImportOptions;
import org.pimopt.ir.IrException;
import org.pimopt.ir.Shape;

/**
 * Gives every graph input a static shape. The first dimension is the batch: whatever the model or
 * the user says, it is bound to 1 and dropped, since pimopt's shapes are per sample. Every other
 * symbolic dimension needs a value, from {@code --input-shape NAME=1x3x224x224} (the whole shape)
 * or {@code --dim SYMBOL=N} (one named dimension).
 */
final class InputBinder {
    private InputBinder() {}

    static void bind(GraphProto graph, Set<String> initializers, ImportContext ctx) {
        ImportOptions options = ctx.options;
        Set<String> inputs = new LinkedHashSet<>();
        Set<String> symbols = new LinkedHashSet<>();
        Set<String> batchSymbols = new LinkedHashSet<>();
        for (ValueInfoProto vi : graph.getInputList()) {
            if (initializers.contains(vi.getName())) {
                continue; // ONNX before IR version 4 lists initializers as inputs too
            }
            inputs.add(vi.getName());
            List<TensorShapeProto.Dimension> dims = vi.getType().getTensorType().getShape().getDimList();
            for (int i = 0; i < dims.size(); i++) {
                if (dims.get(i).hasDimParam() && !dims.get(i).getDimParam().isEmpty()) {
                    (i == 0 ? batchSymbols : symbols).add(dims.get(i).getDimParam());
                }
            }
        }
        // Names the user gave are checked first: a misspelt one is the real error, not the
        // dimension it left unbound.
        for (String name : options.inputShapes().keySet()) {
            if (!inputs.contains(name)) {
                throw new ImportException(ctx.origin + ": --input-shape names '" + name + "', which is not an input of the model"
                        + " (its inputs: " + String.join(", ", inputs) + ")");
            }
        }
        for (String name : options.dims().keySet()) {
            if (!symbols.contains(name) && batchSymbols.contains(name)) {
                // Binding it would be silently ignored: shapes are per sample.
                throw new ImportException(ctx.origin + ": --dim names '" + name + "', the batch dimension of the model's"
                        + " inputs, which pimopt binds to 1 (plans are per sample; the batch is solve's --batch)");
            }
            Integer value = options.dims().get(name);
            if (value == null || value <= 0) {
                throw new ImportException(ctx.origin + ": --dim " + name + "=" + value + ": a dimension must be positive");
            }
            if (!symbols.contains(name)) {
                throw new ImportException(ctx.origin + ": --dim names '" + name + "', which is no dimension of the model's inputs"
                        + (symbols.isEmpty() ? " (they have no named dimensions)" : " (their named dimensions: "
                        + String.join(", ", symbols) + ")"));
            }
        }
        for (ValueInfoProto vi : graph.getInputList()) {
            if (initializers.contains(vi.getName())) {
                continue;
            }
            List<Long> full = fullShape(vi, ctx);
            if (full.size() < 2) {
                throw new ImportException(ctx.origin + ": input '" + vi.getName() + "' of shape " + full
                        + " has no dimension besides the batch; pimopt needs a batch dimension followed by a sample's");
            }
            List<Integer> perSample = new ArrayList<>();
            for (long d : full.subList(1, full.size())) {
                if (d > Integer.MAX_VALUE) {
                    throw new ImportException(ctx.origin + ": input '" + vi.getName() + "' has dimension " + d + ", which is absurdly large");
                }
                perSample.add((int) d);
            }
            try {
                ctx.defineInput(vi.getName(), new Shape(perSample));
            } catch (IrException e) {
                throw new ImportException(ctx.origin + ": input '" + vi.getName() + "': " + e.getMessage());
            }
        }
        if (inputs.isEmpty()) {
            throw new ImportException(ctx.origin + ": the model has no input besides its initializers");
        }
    }

    private static List<Long> fullShape(ValueInfoProto vi, ImportContext ctx) {
        String name = vi.getName();
        if (!vi.getType().hasTensorType()) {
            throw new ImportException(ctx.origin + ": input '" + name + "' is not a tensor (sequences and maps are not supported)");
        }
        List<Long> given = ctx.options.inputShapes().get(name);
        TensorShapeProto shape = vi.getType().getTensorType().getShape();
        boolean declared = vi.getType().getTensorType().hasShape();
        if (given != null) {
            if (declared && given.size() != shape.getDimCount()) {
                throw new ImportException(ctx.origin + ": --input-shape gives '" + name + "' rank " + given.size()
                        + " but the model's shape has rank " + shape.getDimCount());
            }
            for (int i = 1; declared && i < given.size(); i++) {
                TensorShapeProto.Dimension d = shape.getDim(i);
                if (d.hasDimValue() && d.getDimValue() != given.get(i)) {
                    throw new ImportException(ctx.origin + ": --input-shape gives '" + name + "' dimension " + i + " = "
                            + given.get(i) + " but the model fixes it at " + d.getDimValue());
                }
            }
            List<Long> full = new ArrayList<>(given);
            full.set(0, 1L);
            return full;
        }
        if (!declared) {
            throw new ImportException(ctx.origin + ": input '" + name + "' has no shape in the model; give one with --input-shape "
                    + name + "=1x...");
        }
        List<Long> full = new ArrayList<>();
        for (int i = 0; i < shape.getDimCount(); i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            String symbol = d.hasDimParam() ? d.getDimParam() : "";
            if (i == 0) {
                full.add(1L);
            } else if (d.hasDimValue()) {
                if (d.getDimValue() <= 0) {
                    throw new ImportException(ctx.origin + ": input '" + name + "' has dimension " + d.getDimValue()
                            + "; give a shape with --input-shape " + name + "=1x...");
                }
                full.add(d.getDimValue());
            } else if (!symbol.isEmpty() && ctx.options.dims().containsKey(symbol)) {
                full.add((long) ctx.options.dims().get(symbol));
            } else {
                String what = symbol.isEmpty() ? "dimension " + i + " (unnamed)" : "dimension " + i + " ('" + symbol + "')";
                throw new ImportException(ctx.origin + ": input '" + name + "' " + what + " is not fixed; bind it with --input-shape "
                        + name + "=1x..." + (symbol.isEmpty() ? "" : " or --dim " + symbol + "=N"));
            }
        }
        return full;
    }
}
