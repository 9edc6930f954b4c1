package dev.flowline.runs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link RunActivity} events fired in the server, for in-container tests of who fires what. */
@ApplicationScoped
public class RecordedRunActivity {

    private final List<RunActivity> events = new CopyOnWriteArrayList<>();

    void on(@Observes RunActivity activity) {
        events.add(activity);
    }

    /** The events' names since the last call, in the order they were fired. */
    public List<String> take() {
        List<String> names = events.stream().map(RunActivity::event).toList();
        events.clear();
        return names;
    }
}
