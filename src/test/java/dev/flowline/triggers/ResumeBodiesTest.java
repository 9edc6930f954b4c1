package dev.flowline.triggers;

import dev.flowline.platform.errors.UnsupportedMediaException;
import dev.flowline.platform.input.MalformedJsonException;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a resume call's body becomes: any JSON value as it is, nothing as {}, other media types refused. */
class ResumeBodiesTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anyJsonValueIsTakenAsItIsAndNothingIsAnEmptyObject() {
        assertThat(ResumeReceiver.parse(null, new byte[0])).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(ResumeReceiver.parse("application/json; charset=utf-8", utf8("{\"approved\":true}")))
                .isEqualTo(Jsons.createObjectBuilder().add("approved", true).build());
        assertThat(ResumeReceiver.parse("application/json", utf8("\"yes\""))).isEqualTo(Jsons.createValue("yes"));
        assertThat(ResumeReceiver.parse("application/vnd.chat+json", utf8("[1,2]")))
                .isEqualTo(Jsons.createArrayBuilder().add(1).add(2).build());
    }

    @Test
    void otherMediaTypesAndInvalidJsonAreRefused() {
        assertThatThrownBy(() -> ResumeReceiver.parse("text/plain", utf8("yes"))).isInstanceOf(UnsupportedMediaException.class);
        assertThatThrownBy(() -> ResumeReceiver.parse(null, utf8("{}"))).isInstanceOf(UnsupportedMediaException.class);
        assertThatThrownBy(() -> ResumeReceiver.parse("application/json", utf8("{\"a\":")))
                .isInstanceOf(MalformedJsonException.class);
    }
}
