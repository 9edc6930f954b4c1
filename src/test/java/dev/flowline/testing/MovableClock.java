package dev.flowline.testing;

import java.time.Duration;

/** A server clock that tests move ({@link TestClockResource}): {@link MutableClock} or {@link ShiftedClock}. */
public interface MovableClock {

    void advance(Duration duration);
}
