package dev.guildhall.packs.support.desk;

import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class SupportStoreH2IT extends SupportStoreContract {
    @TempDir
    Path dir;

    private JdbcDatabase database;

    @BeforeEach
    void open() {
        database = JdbcDatabase.open(JdbcSettings.embedded(dir));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Override
    JdbcDatabase database() {
        return database;
    }
}
