/**
 * Configuration that concerns the whole application: the development switch
 * ({@link dev.flowline.platform.config.Development}) and the start-up summary of what this instance runs with
 * ({@link dev.flowline.platform.config.StartupSummary}).
 */
package dev.flowline.platform.config;
