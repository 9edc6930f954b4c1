package dev.flowline.workspaces;

/** Runs counted in one period: {@code used} within the allocation, {@code overage} beyond it. */
public record RunUsage(BillingPeriod period, int used, int overage) {
}
