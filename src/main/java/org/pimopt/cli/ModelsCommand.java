package org.pimopt.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pimopt.imports.ModelCatalog;
import org.pimopt.ir.Network;
import org.pimopt.report.TextTable;
import org.pimopt.report.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code pimopt models}: the built-in networks, one line each. */
@Command(name = "models", description = "List the built-in networks.")
final class ModelsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TextTable table = new TextTable("name", "input", ">parameters", ">MACs/sample", "description");
        for (String name : ModelCatalog.zooNames()) {
            Network n = ModelCatalog.load(name, Map.of());
            String input = n.inputs().values().iterator().next().toString();
            table.row(name, input, Units.count(n.parameters()), Units.count(n.macs()), n.description());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(table);
        out.flush();
        return 0;
    }
}
