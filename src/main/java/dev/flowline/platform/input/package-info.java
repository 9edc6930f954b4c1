/**
 * Client input that PostgreSQL would refuse, refused first as a 400 naming the field: U+0000 in text
 * ({@link ClientText}), instants outside {@code timestamptz}'s range ({@link StorableInstants}), and JSON that is not
 * strict UTF-8 JSON of bounded depth with numbers {@code numeric} can hold and nothing after it ({@link ClientJson}).
 * Used by the REST edge for every request and by the areas that parse bodies by hand. Knows no area.
 */
package dev.flowline.platform.input;
