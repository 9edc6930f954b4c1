package dev.flowline.workspaces;

/** A workspace's plan. Limits per tier come from configuration ({@link PlanCatalog}), not from code. */
public enum PlanTier {
    /** The free personal tier. */
    SOLO,
    /** The paid team tier. */
    WORKSPACE
}
