package dev.flowline.engine;

import dev.flowline.runs.RunFinished;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;

import java.lang.annotation.Annotation;
import java.util.concurrent.CompletionStage;

/** An event nobody observes. */
final class NoEvent implements Event<RunFinished> {
    @Override
    public void fire(RunFinished event) {
    }

    @Override
    public <U extends RunFinished> CompletionStage<U> fireAsync(U event) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends RunFinished> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Event<RunFinished> select(Annotation... qualifiers) {
        return this;
    }

    @Override
    public <U extends RunFinished> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends RunFinished> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }
}
