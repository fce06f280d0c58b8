package org.pimopt.problem;

import org.pimopt.cost.Unit;

/** A unit with its id in the instance's fixed topological order and the op it belongs to. */
public record UnitRef(int id, int op, Unit unit) {
    public int crossbars() {
        return unit.crossbars();
    }

    /** "layer1.0.conv1#2": the op's name and the unit's ordinal. */
    public String label(Instance instance) {
        return instance.ops().get(op).name() + "#" + unit.ordinal();
    }
}
