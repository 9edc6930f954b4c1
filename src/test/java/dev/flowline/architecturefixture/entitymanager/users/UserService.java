package dev.flowline.architecturefixture.entitymanager.users;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

public class UserService {
    @PersistenceContext
    EntityManager em;
}
