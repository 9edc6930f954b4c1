/** The HTTP face of runs and dead letters. Used by no other area. */
package dev.flowline.runs.api;
