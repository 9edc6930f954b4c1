/**
 * Background work on every instance, on the container's managed scheduled executor: the schedule poller and the
 * retention job (the run dispatcher comes next). May use every area; no area uses it.
 */
package dev.flowline.engine;
