/**
 * JSON-P without its per-call provider lookup ({@link dev.flowline.platform.json.Jsons}), and the bounded measure of
 * a value's JSON size that the engine's step budgets charge ({@link dev.flowline.platform.json.JsonSize}).
 */
package dev.flowline.platform.json;
