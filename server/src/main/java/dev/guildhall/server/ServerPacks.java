package dev.guildhall.server;

import dev.guildhall.core.pack.LoadedPacks;
import dev.guildhall.core.pack.PackContext;
import dev.guildhall.core.pack.PackLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The packs on the server's class path, started with the server's data directory, clock and
 * database ({@link DataSource}, for packs that keep their own tables) and loaded once. Their agents
 * and workflows join the {@link WorkspaceCatalog}; a pack's REST API, if any, comes from its own
 * Spring Boot auto-configuration, which finds the pack in the {@link LoadedPacks} bean.
 */
@Configuration(proxyBeanMethods = false)
class ServerPacks {
    private static final Logger LOG = LoggerFactory.getLogger(ServerPacks.class);

    @Bean
    LoadedPacks loadedPacks(ServerSettings settings, dev.guildhall.store.jdbc.JdbcDatabase database, Clock clock) {
        return load(settings.dataPath(), database.dataSource(), clock);
    }

    static LoadedPacks load(Path dataDir, DataSource dataSource, Clock clock) {
        LoadedPacks packs = PackLoader.load(
                PackLoader.discover(ServerPacks.class.getClassLoader()),
                new PackContext(dataDir, clock, Map.of(DataSource.class, dataSource)));
        LOG.info(
                "Loaded {} pack(s): {} with {} agent(s) and {} workflow(s)",
                packs.packs().size(),
                packs.packs().stream().map(p -> p.id().value()).toList(),
                packs.agents().size(),
                packs.workflows().size());
        return packs;
    }
}
