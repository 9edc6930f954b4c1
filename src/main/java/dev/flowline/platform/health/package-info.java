/**
 * MicroProfile Health checks: readiness includes the database; liveness is the process only, so a database outage
 * never restarts every instance.
 */
package dev.flowline.platform.health;
