package dev.flowline.platform.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.UUID;

/**
 * For nullable {@code uuid} columns. EclipseLink 4.0.7 (Payara 6.2025.10) maps {@link UUID} with its own
 * {@code UUIDConverter}, whose read side calls {@code toString()} on the column value: reading a SQL NULL, in an
 * entity or a JPQL projection, fails with a NullPointerException. A JPA converter replaces it and sees the null.
 * The database side stays {@code Object}: pgjdbc reads {@code uuid} as {@link UUID} and binds it as such.
 */
@Converter
public class NullableUuidConverter implements AttributeConverter<UUID, Object> {

    @Override
    public Object convertToDatabaseColumn(UUID uuid) {
        return uuid;
    }

    @Override
    public UUID convertToEntityAttribute(Object column) {
        if (column == null || column instanceof UUID) {
            return (UUID) column;
        }
        return UUID.fromString(column.toString());
    }
}
