package dev.flowline.users;

import dev.flowline.platform.errors.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.TreeSet;
import java.util.UUID;

/** The signed-in user's own account: profile and settings. */
@ApplicationScoped
@Transactional
public class UserService {

    @Inject
    UserRepository users;

    @Inject
    Event<AccountActivity> activity;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.users.settings-max-bytes", defaultValue = "16384")
    int settingsMaxBytes;

    public User get(UUID userId) {
        return users.findById(userId).orElseThrow(() -> new ResourceNotFoundException("No such user."));
    }

    public User rename(UUID userId, String name) {
        String before = get(userId).name();
        users.updateName(userId, name.strip(), clock.instant());
        User renamed = get(userId);
        if (!before.equals(renamed.name())) {
            activity.fire(AccountActivity.renamed(userId, before, renamed.name()));
        }
        return renamed;
    }

    /** Applies a merge patch under the row lock, so concurrent patches never drop each other's keys. */
    public JsonObject patchSettings(UUID userId, JsonObject patch) {
        SettingsPatch.checkWritable(patch);
        JsonObject settings = users.updateSettings(userId, current -> SettingsPatch.apply(current, patch, settingsMaxBytes),
                        clock.instant())
                .orElseThrow(() -> new ResourceNotFoundException("No such user."));
        activity.fire(AccountActivity.settingsChanged(userId, String.join(",", new TreeSet<>(patch.keySet()))));
        return settings;
    }
}
