/**
 * Keyset pagination: opaque cursors over (time, id), the limit rules, and the {@code Page} every list answers.
 */
package dev.flowline.platform.pagination;
