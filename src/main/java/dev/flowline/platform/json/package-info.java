/** JSON-P without its per-call provider lookup; see {@link dev.flowline.platform.json.Jsons}. */
package dev.flowline.platform.json;
