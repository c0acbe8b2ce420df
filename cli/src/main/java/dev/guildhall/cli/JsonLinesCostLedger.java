package dev.guildhall.cli;

import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.InMemoryCostLedger;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendRow;
import dev.guildhall.core.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The CLI's cost ledger: one JSON line per model call appended to a file under the data directory,
 * so that {@code guildhall spend} sees the calls of earlier {@code guildhall run}s. Queries run on
 * an in-memory copy read at start. The server's ledger lives in the database instead.
 */
final class JsonLinesCostLedger implements CostLedger {
    private final Path file;
    private final InMemoryCostLedger memory = new InMemoryCostLedger();

    JsonLinesCostLedger(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                int lineNo = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lineNo++;
                    if (!line.isBlank()) {
                        try {
                            memory.record(Json.mapper().readValue(line, CostEntry.class));
                        } catch (IOException | RuntimeException e) {
                            throw new IllegalStateException(
                                    "cost ledger %s line %d is not a cost entry: %s"
                                            .formatted(file, lineNo, e.getMessage()),
                                    e);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read cost ledger " + file, e);
            }
        }
    }

    @Override
    public synchronized void record(CostEntry entry) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter w = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                w.write(Json.write(entry));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to cost ledger " + file, e);
        }
        memory.record(entry);
    }

    @Override
    public List<SpendRow> spend(SpendQuery query) {
        return memory.spend(query);
    }

    @Override
    public List<CostEntry> entries(SpendQuery query) {
        return memory.entries(query);
    }
}
