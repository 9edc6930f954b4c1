/** The HTTP face of issue reports ({@code /support/issues}). Used by no other area. */
package dev.flowline.support.api;
