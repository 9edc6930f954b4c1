package dev.flowline.platform.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code flowline.*} key the code reads is in the configuration reference, so an operator never has to read
 * the source to find a setting. Keys are the string literals of the main sources (annotations and lookups alike);
 * literals ending with a dot are prefixes of keys built at run time (per plan, per provider), documented with a
 * {@code <name>} placeholder.
 */
class ConfigurationReferenceTest {

    static final Path REFERENCE = Path.of("docs/operating/configuration.md");
    static final String SECTION = "## Configuration";
    private static final Pattern LITERAL = Pattern.compile("\"(flowline\\.[a-zA-Z0-9._-]*[a-zA-Z0-9_-])\"");
    private static final Pattern CODE = Pattern.compile("`([^`\\s]+)`");

    @Test
    void everyKeyReadByTheCodeIsInTheReference() {
        List<Pattern> documented = documentedKeys(section()).stream().map(ConfigurationReferenceTest::pattern).toList();
        Set<String> missing = new TreeSet<>(keysReadByCode());
        missing.removeIf(key -> documented.stream().anyMatch(p -> p.matcher(key).matches()));
        assertThat(missing).as("keys read by the code but missing from the reference (%s, %s)", REFERENCE, SECTION)
                .isEmpty();
    }

    @Test
    void eachKeyHasOneRow() {
        List<String> named = new ArrayList<>();
        for (String line : section().split("\n")) {
            if (line.startsWith("| `")) {
                named.addAll(documentedKeys(line.split("\\|")[1]));
            }
        }
        assertThat(named).as("keys named in the first column of the reference").isNotEmpty().doesNotHaveDuplicates();
    }

    @Test
    void aRowNamesRelativeKeysAfterItsFirstKey() {
        String row = "| `flowline.webhooks.max-concurrent`, `.max-wait-millis` | 16 | also `.refusal.log-seconds` |";
        assertThat(documentedKeys(row)).containsExactly("flowline.webhooks.max-concurrent",
                "flowline.webhooks.max-wait-millis", "flowline.webhooks.refusal.log-seconds");
        assertThat(pattern("flowline.oauth.<name>.api-origins").matcher("flowline.oauth.google.api-origins").matches())
                .isTrue();
        assertThat(pattern("flowline.oauth.<name>.api-origins").matcher("flowline.oauth.a.b.api-origins").matches())
                .isFalse();
    }

    /**
     * The keys of a reference text: full keys in backticks, and keys written relative to the row's first full key
     * ({@code `.max-wait-millis`} after {@code `flowline.webhooks.max-concurrent`} is a sibling of it).
     */
    static List<String> documentedKeys(String text) {
        List<String> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            String first = null;
            Matcher code = CODE.matcher(line);
            while (code.find()) {
                String token = code.group(1);
                if (token.startsWith("flowline.")) {
                    keys.add(token);
                    first = first == null ? token : first;
                } else if (token.startsWith(".") && first != null && token.length() > 1) {
                    keys.add(first.substring(0, first.lastIndexOf('.')) + token);
                }
            }
        }
        return keys;
    }

    /** A documented key as a pattern: {@code <name>} stands for one segment. */
    static Pattern pattern(String documented) {
        StringBuilder regex = new StringBuilder();
        for (String part : documented.split("<[^>]+>", -1)) {
            if (!regex.isEmpty()) {
                regex.append("[^.]+");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static String section() {
        String text = read(REFERENCE);
        int start = text.indexOf("\n" + SECTION + "\n");
        assertThat(start).as("%s has a %s section", REFERENCE, SECTION).isNotNegative();
        int end = text.indexOf("\n## ", start + SECTION.length());
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static Set<String> keysReadByCode() {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Matcher literal = LITERAL.matcher(read(f));
                while (literal.find()) {
                    keys.add(literal.group(1));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(keys).as("the scan finds the keys").contains("flowline.engine.lease-seconds");
        return keys;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
