/**
 * What every area stands on and nothing business-specific: no class here imports an area. Subpackages: rest, errors,
 * persistence, pagination, input, security, crypto, mail, health, time.
 */
package dev.flowline.platform;
