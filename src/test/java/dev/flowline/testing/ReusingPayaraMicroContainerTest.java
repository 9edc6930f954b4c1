package dev.flowline.testing;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReusingPayaraMicroContainerTest {

    private static WebArchive archive(String config, String library) {
        JavaArchive jar = ShrinkWrap.create(JavaArchive.class, "runner.jar")
                .add(new StringAsset(library), "META-INF/runner.properties");
        return ShrinkWrap.create(WebArchive.class, "flowline.war")
                .add(new StringAsset(config), "WEB-INF/classes/META-INF/microprofile-config.properties")
                .addAsLibraries(jar);
    }

    private static String digest(WebArchive archive) {
        return ReusingPayaraMicroContainer.digest(ReusingPayaraMicroContainer.entries(archive));
    }

    @Test
    void archivesWithTheSameContentHaveOneDigest() {
        assertThat(digest(archive("a=1", "runner"))).isEqualTo(digest(archive("a=1", "runner")));
    }

    @Test
    void anyOtherByteIsAnotherDigest() {
        String digest = digest(archive("a=1", "runner"));

        assertThat(digest(archive("a=2", "runner"))).isNotEqualTo(digest);
        assertThat(digest(archive("a=1", "runner2"))).isNotEqualTo(digest);
    }

    /** Jars Arquillian builds for each class differ in their zip entries' times: their content is what counts. */
    @Test
    void entriesInsideJarsCountByContentUnderTheJarsName() {
        assertThat(ReusingPayaraMicroContainer.entries(archive("a=1", "runner")))
                .containsKey("/WEB-INF/lib/runner.jar!/META-INF/runner.properties")
                .containsKey("/WEB-INF/classes/META-INF/microprofile-config.properties");
    }
}
