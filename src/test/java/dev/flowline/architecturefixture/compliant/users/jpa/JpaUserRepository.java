package dev.flowline.architecturefixture.compliant.users.jpa;

import dev.flowline.architecturefixture.compliant.users.User;
import dev.flowline.architecturefixture.compliant.users.UserRepository;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

public class JpaUserRepository implements UserRepository {
    @PersistenceContext
    EntityManager em;

    @Override
    public User find(String id) {
        return new User(em.find(UserEntity.class, id).id);
    }
}
