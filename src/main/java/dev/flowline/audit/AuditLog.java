package dev.flowline.audit;

import dev.flowline.connections.ConnectionActivity;
import dev.flowline.platform.security.Actor;
import dev.flowline.users.AccountActivity;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.runs.RunActivity;
import dev.flowline.workflows.WorkflowActivity;
import dev.flowline.workspaces.WorkspaceActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Records the areas' activity events. Synchronous observers: each runs in the transaction that fired the event, so the
 * row commits with the change or not at all (a failed sign-in is fired in the sign-in's transaction, which commits on
 * that refusal). Personal connections and credentials have no workspace: they are events of their owner's account.
 */
@ApplicationScoped
public class AuditLog {

    @Inject
    AuditRepository events;

    @Inject
    UserRepository users;

    @Inject
    RequestOrigin origin;

    @Inject
    Clock clock;

    void account(@Observes AccountActivity activity) {
        record(activity.event(), activity.actor(), activity.userId(), null, "account", activity.userId(),
                activity.before(), activity.after());
    }

    void workspace(@Observes WorkspaceActivity activity) {
        record(activity.event(), activity.actor(), null, activity.workspaceId(), activity.objectType(),
                activity.objectId(), activity.before(), activity.after());
    }

    void connection(@Observes ConnectionActivity activity) {
        UUID account = activity.workspaceId() == null ? activity.actor().userId() : null;
        record(activity.event(), activity.actor(), account, activity.workspaceId(), activity.objectType(),
                activity.objectId(), activity.before(), activity.after());
    }

    void workflow(@Observes WorkflowActivity activity) {
        record(activity.event(), activity.actor(), null, activity.workspaceId(), activity.objectType(),
                activity.objectId(), activity.before(), activity.after());
    }

    void run(@Observes RunActivity activity) {
        record(activity.event(), activity.actor(), null, activity.workspaceId(), activity.objectType(),
                activity.objectId(), activity.before(), activity.after());
    }

    private void record(String event, Actor actor, UUID accountId, UUID workspaceId, String objectType, UUID objectId,
                        Map<String, Object> before, Map<String, Object> after) {
        String email = actor.userId() == null ? null : users.findById(actor.userId()).map(User::email).orElse(null);
        events.append(AuditEntries.entry(clock.instant(), event, actor, email, accountId, workspaceId, objectType,
                objectId, origin.current(), before, after));
    }
}
