package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.store.jdbc.JdbcSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliStoreTest {

    @Test
    void without_a_database_url_the_embedded_h2_file_under_the_data_directory_is_shared_between_processes() {
        JdbcSettings s = CliStore.settings(Path.of("/var/guildhall"), Map.of());

        assertThat(s.url()).startsWith("jdbc:h2:file:/var/guildhall/guildhall;").endsWith(";AUTO_SERVER=TRUE");
        assertThat(CliStore.describe(s)).isEqualTo("jdbc:h2:file:/var/guildhall/guildhall");
    }

    @Test
    void guildhall_db_url_names_postgresql_with_its_user_and_password_kept_out_of_descriptions() {
        JdbcSettings s = CliStore.settings(
                Path.of("data"),
                Map.of(
                        "GUILDHALL_DB_URL", "jdbc:postgresql://db:5432/guildhall",
                        "GUILDHALL_DB_USER", "gh",
                        "GUILDHALL_DB_PASSWORD", "s3cret"));

        assertThat(s.url()).isEqualTo("jdbc:postgresql://db:5432/guildhall");
        assertThat(s.user()).isEqualTo("gh");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
        assertThat(CliStore.describe(s)).isEqualTo("jdbc:postgresql://db:5432/guildhall");
    }

    @Test
    void a_blank_database_url_means_the_embedded_database() {
        assertThat(CliStore.settings(Path.of("/d"), Map.of("GUILDHALL_DB_URL", " "))
                        .url())
                .startsWith("jdbc:h2:file:");
    }
}
