package dev.flowline.runs.jpa;

import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.RunPartition;
import dev.flowline.runs.RunPartitions;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link RunPartitions} on PostgreSQL: the periods are the tables named {@code workflow_runs_p...} (attached, or
 * detached by a drop that stopped before its second call); the functions {@code create_run_partition} and {@code drop_run_partition} of
 * migration 0039 (also called by bench/run-lists-at-scale.sh), each in its own transaction; covered by
 * JpaWorkflowRepositoriesIT.
 */
@Stateless
public class JpaRunPartitions implements RunPartitions {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public List<RunPartition> list() {
        List<?> names = em.createNativeQuery("""
                        SELECT substr(c.relname, length('workflow_runs_') + 1) FROM pg_class c
                        WHERE c.relname LIKE 'workflow\\_runs\\_p%' AND c.relkind = 'r'
                          AND c.relnamespace = 'public'::regnamespace""")
                .getResultList();
        return names.stream()
                .map(name -> RunPartition.ofSuffix((String) name))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(RunPartition::from))
                .toList();
    }

    @Override
    public String create(RunPartition period) {
        return call("create_run_partition", period);
    }

    @Override
    public String drop(RunPartition period) {
        return call("drop_run_partition", period);
    }

    /** The second call of {@code drop_run_partition}, in a transaction of its own once the detach committed. */
    @Override
    public String dropDetached(RunPartition period) {
        return call("drop_run_partition", period);
    }

    /** {@inheritDoc} By id range through {@code ix_run_once_keys_run_id}, one batch per transaction. */
    @Override
    public int forgetKeys(RunPartition period, int batch) {
        return em.createNativeQuery("""
                        DELETE FROM run_once_keys WHERE ctid = ANY (ARRAY(
                            SELECT k.ctid FROM run_once_keys k
                            WHERE k.run_id >= run_id_floor(?1) AND k.run_id < run_id_floor(?2) LIMIT ?3))""")
                .setParameter(1, SqlTimestamps.of(period.from()))
                .setParameter(2, SqlTimestamps.of(period.to()))
                .setParameter(3, batch)
                .executeUpdate();
    }

    private String call(String function, RunPartition period) {
        return (String) em.createNativeQuery("SELECT " + function + "(?1, ?2, ?3)")
                .setParameter(1, period.suffix())
                .setParameter(2, SqlTimestamps.of(period.from()))
                .setParameter(3, SqlTimestamps.of(period.to()))
                .getSingleResult();
    }
}
