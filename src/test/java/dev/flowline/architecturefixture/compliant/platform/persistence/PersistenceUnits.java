package dev.flowline.architecturefixture.compliant.platform.persistence;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

public class PersistenceUnits {
    @PersistenceUnit
    EntityManagerFactory factory;
}
