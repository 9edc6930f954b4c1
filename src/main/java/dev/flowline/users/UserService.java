package dev.flowline.users;

import dev.flowline.platform.errors.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.UUID;

/** The signed-in user's own account: profile and settings. */
@ApplicationScoped
@Transactional
public class UserService {

    @Inject
    UserRepository users;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.users.settings-max-bytes", defaultValue = "16384")
    int settingsMaxBytes;

    public User get(UUID userId) {
        return users.findById(userId).orElseThrow(() -> new ResourceNotFoundException("No such user."));
    }

    public User rename(UUID userId, String name) {
        get(userId);
        users.updateName(userId, name.strip(), clock.instant());
        return get(userId);
    }

    /** Applies a merge patch under the row lock, so concurrent patches never drop each other's keys. */
    public JsonObject patchSettings(UUID userId, JsonObject patch) {
        SettingsPatch.checkWritable(patch);
        return users.updateSettings(userId, current -> SettingsPatch.apply(current, patch, settingsMaxBytes),
                        clock.instant())
                .orElseThrow(() -> new ResourceNotFoundException("No such user."));
    }
}
