package dev.flowline.engine;

import dev.flowline.runs.FreeWorkers;
import dev.flowline.runs.ReservedWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/** The {@link Dispatcher}'s workers as the runs area sees them when it accepts a run (the area may not name the engine). */
@ApplicationScoped
public class WorkerHandOff implements FreeWorkers {

    @Inject
    Dispatcher dispatcher;

    @Override
    public Optional<ReservedWorker> reserve() {
        return dispatcher.reserve();
    }
}
