package dev.guildhall.cli;

import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.store.jdbc.JdbcCostLedger;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * Where the CLI keeps runs, the job queue and the cost ledger: the embedded H2 database under the
 * data directory, or the database {@code GUILDHALL_DB_URL} names (PostgreSQL in production).
 */
final class CliStore {
    static final String DB_URL = "GUILDHALL_DB_URL";
    static final String DB_USER = "GUILDHALL_DB_USER";
    static final String DB_PASSWORD = "GUILDHALL_DB_PASSWORD";
    /** The ledger file of CLI versions before the store; imported once, then renamed. */
    static final String LEGACY_LEDGER = "cost-ledger.jsonl";

    private CliStore() {}

    /**
     * The database settings for {@code dataDir} and {@code env}. The embedded database is opened with
     * {@code AUTO_SERVER=TRUE}, so that a worker process and the commands run next to it can use the
     * one H2 file at the same time (the first process serves it to the others over a local socket).
     */
    static JdbcSettings settings(Path dataDir, Map<String, String> env) {
        String url = env.get(DB_URL);
        if (url != null && !url.isBlank()) {
            return new JdbcSettings(url.trim(), blankToNull(env.get(DB_USER)), blankToNull(env.get(DB_PASSWORD)));
        }
        JdbcSettings embedded = JdbcSettings.embedded(dataDir);
        return new JdbcSettings(embedded.url() + ";AUTO_SERVER=TRUE", embedded.user(), embedded.password());
    }

    /** Opens (and migrates) the database, importing an old JSON-lines cost ledger the first time. */
    static JdbcDatabase open(Path dataDir, Map<String, String> env) {
        JdbcDatabase db = JdbcDatabase.open(settings(dataDir, env));
        try {
            importLegacyLedger(dataDir, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** What the user sees as the database: the URL without credentials. */
    static String describe(JdbcSettings settings) {
        String url = settings.url();
        int semicolon = url.indexOf(';');
        return semicolon < 0 ? url : url.substring(0, semicolon);
    }

    private static void importLegacyLedger(Path dataDir, JdbcDatabase db) {
        Path file = dataDir.resolve(LEGACY_LEDGER);
        if (!Files.isRegularFile(file)) {
            return;
        }
        JdbcCostLedger ledger = new JdbcCostLedger(db.dataSource());
        for (CostEntry e :
                new JsonLinesCostLedger(file).entries(SpendQuery.allWorkspaces(Instant.EPOCH, Instant.MAX))) {
            ledger.record(e);
        }
        try {
            Files.move(file, dataDir.resolve(LEGACY_LEDGER + ".imported"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("imported " + file + " into the database but could not rename it", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
