package dev.flowline.platform.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartupSummaryTest {

    @Test
    void theDatabaseUrlIsShownWithoutCredentials() {
        assertThat(StartupSummary.redactedUrl("jdbc:postgresql://db:5432/flowline"))
                .isEqualTo("jdbc:postgresql://db:5432/flowline");
        assertThat(StartupSummary.redactedUrl("jdbc:postgresql://ann:s3cret@db:5432/flowline?ssl=true"))
                .isEqualTo("jdbc:postgresql://***@db:5432/flowline?ssl=true");
        assertThat(StartupSummary.redactedUrl("jdbc:postgresql://db/flowline?user=ann&password=s3cret&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/flowline?user=ann&password=***&sslmode=require");
        assertThat(StartupSummary.redactedUrl("jdbc:postgresql://db/f?sslpassword=x;PASSWORD=y&sslkey=/k"))
                .doesNotContain("=x").doesNotContain("=y").doesNotContain("/k");
    }
}
