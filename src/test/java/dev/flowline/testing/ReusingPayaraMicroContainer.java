package dev.flowline.testing;

import fish.payara.arquillian.container.payara.managed.PayaraMicroContainerConfiguration;
import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.ArchiveAsset;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.descriptor.api.Descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Payara Micro's Arquillian container (one server process per deployment: the adapter starts Payara Micro with the
 * archive and stops it on undeploy), except that the server of an archive {@link Deployments#shared shared} by several
 * test classes stays up after its class and serves the next class whose archive is byte for byte the same. A start and
 * deployment of the product costs ~25 s, most of it Payara's annotation scan of the WAR's libraries; test classes that
 * need the same server no longer pay it each.
 *
 * <p>At most {@link #KEPT} idle servers are kept (the oldest is stopped first); all are stopped when the suite ends.
 * Archives that are not shared are deployed and undeployed exactly as by the adapter.
 */
public final class ReusingPayaraMicroContainer implements DeployableContainer<PayaraMicroContainerConfiguration> {

    private static final Logger LOG = Logger.getLogger(ReusingPayaraMicroContainer.class.getName());
    private static final int KEPT = 3;

    private PayaraMicroContainerConfiguration configuration;

    /** Idle servers by the digest of their archive, oldest first. */
    private final Map<String, Server> idle = new LinkedHashMap<>();

    /** Servers by the archive Arquillian deployed on them (it undeploys the same instance). */
    private final Map<Archive<?>, Server> deployed = new IdentityHashMap<>();

    private record Server(String digest, SortedMap<String, String> entries, Archive<?> archive,
                          PayaraMicroDeployableContainer container, ProtocolMetaData metaData) {

        /** What a new archive has that this server's has not (or differently), for the log. */
        String differences(SortedMap<String, String> other) {
            Set<String> paths = new TreeSet<>(entries.keySet());
            paths.addAll(other.keySet());
            paths.removeIf(path -> Objects.equals(entries.get(path), other.get(path)));
            return "differs from an idle server in " + paths.size() + " entries " + paths.stream().limit(5).toList();
        }
    }

    @Override
    public Class<PayaraMicroContainerConfiguration> getConfigurationClass() {
        return PayaraMicroContainerConfiguration.class;
    }

    @Override
    public void setup(PayaraMicroContainerConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new PayaraMicroDeployableContainer().getDefaultProtocol();
    }

    @Override
    public void start() {
        // the adapter starts a server per deployment
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        SortedMap<String, String> entries = Deployments.isShared(archive) ? entries(archive) : null;
        String digest = entries == null ? null : digest(entries);
        Server server = digest == null ? null : idle.remove(digest);
        if (server == null) {
            if (entries != null) {
                LOG.info(() -> "A new Payara Micro for a shared archive; "
                        + idle.values().stream().map(kept -> kept.differences(entries)).toList());
            }
            PayaraMicroDeployableContainer container = new PayaraMicroDeployableContainer();
            container.setup(configuration);
            server = new Server(digest, entries, archive, container, container.deploy(archive));
        }
        deployed.put(archive, server);
        return server.metaData();
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        Server server = deployed.remove(archive);
        if (server == null) {
            return;
        }
        if (server.digest() == null) {
            server.container().undeploy(archive);
            return;
        }
        idle.put(server.digest(), server);
        Iterator<Server> oldest = idle.values().iterator();
        while (idle.size() > KEPT) {
            Server evicted = oldest.next();
            oldest.remove();
            evicted.container().undeploy(evicted.archive());
        }
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            for (Server server : idle.values()) {
                server.container().undeploy(server.archive());
            }
        } catch (DeploymentException e) {
            throw new LifecycleException("Could not stop a kept Payara Micro", e);
        } finally {
            idle.clear();
        }
    }

    @Override
    public void deploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("Payara Micro deploys archives only");
    }

    @Override
    public void undeploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("Payara Micro deploys archives only");
    }

    /** SHA-256 over the entries' digests in path order: equal digests, equal archives. */
    static String digest(Map<String, String> entries) {
        MessageDigest sha = sha256();
        entries.forEach((path, digest) -> sha.update((path + "\0" + digest + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The SHA-256 of each entry's bytes, by path (sorted). Archives inside the archive (the jars Arquillian adds for
     * in-container tests, built anew for each class with the time in their zip entries) count by their content, not
     * their zip bytes.
     */
    static SortedMap<String, String> entries(Archive<?> archive) {
        SortedMap<String, String> entries = new TreeMap<>();
        add(entries, "", archive, new byte[64 * 1024]);
        return entries;
    }

    private static void add(SortedMap<String, String> entries, String prefix, Archive<?> archive, byte[] buffer) {
        for (Map.Entry<ArchivePath, Node> entry : archive.getContent().entrySet()) {
            String path = prefix + entry.getKey().get();
            Asset asset = entry.getValue().getAsset();
            if (asset instanceof ArchiveAsset nested) {
                add(entries, path + "!", nested.getArchive(), buffer);
            } else if (asset != null) {
                MessageDigest sha = sha256();
                try (InputStream in = asset.openStream()) {
                    for (int read; (read = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, read);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                entries.put(path, HexFormat.of().formatHex(sha.digest()));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
