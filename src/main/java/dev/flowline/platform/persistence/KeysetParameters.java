package dev.flowline.platform.persistence;

import dev.flowline.platform.pagination.Keyset;
import jakarta.persistence.TypedQuery;

/**
 * Binds a keyset position to the {@code :at} and {@code :id} parameters that every keyset-paged named query of the
 * repositories uses ({@code (time, id) < (:at, :id)} or {@code >}).
 */
public final class KeysetParameters {

    private KeysetParameters() {
    }

    public static <T> TypedQuery<T> bind(TypedQuery<T> query, Keyset position) {
        return query.setParameter("at", position.at()).setParameter("id", position.id());
    }
}
