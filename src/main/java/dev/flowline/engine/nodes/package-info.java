/**
 * What each node type does when a run reaches it: templates resolved against the run's input and earlier outputs,
 * conditions, and the {@code http.request} node with its address policy (no loopback, private or metadata addresses
 * unless configured). Pure Java, unit-tested without a container.
 */
package dev.flowline.engine.nodes;
