/** Configuration that concerns the whole application: the development switch ({@link dev.flowline.platform.config.Development}). */
package dev.flowline.platform.config;
