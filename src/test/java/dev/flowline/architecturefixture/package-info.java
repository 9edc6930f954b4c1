/**
 * Fixtures of {@code ArchitectureRulesTest}: each sub-package is a tiny product root with areas below it.
 * {@code compliant} keeps every architecture rule; each other one breaks one rule, as its name says.
 * They live in the test tree, so the real architecture check (main classes only) never sees them.
 */
package dev.flowline.architecturefixture;
