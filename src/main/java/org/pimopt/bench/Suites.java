package org.pimopt.bench;

import java.util.List;
import org.pimopt.PimoptException;

/** The suites by name. */
public final class Suites {
    private Suites() {}

    public static List<Suite> all() {
        return List.of(new CompassSuite(), new OptimalitySuite(), new ScalingSuite(), new PimcompSuite(), new ExactSuite(),
                new ZooSuite(), new ParetoSuite());
    }

    public static List<String> names() {
        return all().stream().map(Suite::name).toList();
    }

    public static Suite byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new PimoptException("unknown suite '" + name + "' (known: " + String.join(", ", names()) + ")"));
    }
}
