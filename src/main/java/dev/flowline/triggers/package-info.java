/**
 * What turns the outside world into runs: the public webhook receiver (signature check, delivery log) and the firing
 * of due schedules (claimed with {@code SKIP LOCKED}, missed firings by policy). Uses {@code runs},
 * {@code workflows}, {@code workspaces} and {@code platform}; used by {@code engine}.
 */
package dev.flowline.triggers;
