package dev.flowline.workspaces;

/** What consuming one run unit did. Release a unit with the same kind it was consumed as. */
public enum RunConsumption {
    WITHIN_ALLOCATION,
    OVERAGE,
    REFUSED
}
