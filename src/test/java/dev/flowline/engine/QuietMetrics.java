package dev.flowline.engine;

import java.time.Duration;

final class QuietMetrics extends EngineMetrics {
    @Override
    void started() {
    }

    @Override
    void succeeded() {
    }

    @Override
    void retried() {
    }

    @Override
    void deadLettered() {
    }

    @Override
    void canceled() {
    }

    @Override
    void timedOut() {
    }

    @Override
    void handOff(String outcome) {
    }

    @Override
    void claimed(Duration took) {
    }

    @Override
    void step(String nodeType, Duration took) {
    }
}
