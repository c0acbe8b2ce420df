package dev.guildhall.knowledge.router;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads labelled examples from a CSV file with a header row: the first column is the text, the
 * second the label, whatever the header calls them; further columns are ignored. Quoting follows
 * RFC 4180 (a text may contain commas, quotes and line breaks when quoted).
 */
public final class LabelledCsv {
    private static final CsvMapper MAPPER = new CsvMapper();

    private LabelledCsv() {}

    /**
     * The rows of {@code file}, in file order.
     *
     * @throws RouterDataException when the file is missing, empty, has no header, or a row has
     *     fewer than two columns, an empty text or an empty label
     */
    public static List<LabelledExample> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RouterDataException(file + ": no such file");
        }
        List<String[]> rows;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<String[]> it = MAPPER.readerFor(String[].class)
                        .with(CsvParser.Feature.WRAP_AS_ARRAY)
                        .with(CsvParser.Feature.SKIP_EMPTY_LINES)
                        .readValues(reader)) {
            rows = it.readAll();
        } catch (IOException | RuntimeException e) {
            throw new RouterDataException(file + ": not a readable CSV file: " + oneLine(e), e);
        }
        if (rows.isEmpty()) {
            throw new RouterDataException(
                    file + ": empty file; expected a header row (e.g. text,label) and labelled rows");
        }
        String[] header = rows.get(0);
        if (header.length < 2) {
            throw new RouterDataException(file + ": row 1 must be a header with two columns (text,label), found "
                    + header.length + " column" + (header.length == 1 ? "" : "s"));
        }
        if (rows.size() == 1) {
            throw new RouterDataException(file + ": has a header but no labelled rows");
        }
        List<LabelledExample> examples = new ArrayList<>(rows.size() - 1);
        Set<String> labels = new HashSet<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] row = rows.get(i);
            int rowNumber = i + 1;
            if (row.length < 2) {
                throw new RouterDataException(
                        file + ": row " + rowNumber + " has no label (one column; expected text,label)");
            }
            String text = row[0].strip();
            String label = row[1].strip();
            if (label.isEmpty()) {
                throw new RouterDataException(file + ": row " + rowNumber + " has an empty label");
            }
            if (text.isEmpty()) {
                throw new RouterDataException(file + ": row " + rowNumber + " has an empty text");
            }
            examples.add(new LabelledExample(text, label));
            labels.add(label);
        }
        String headerLabel = header[1].strip();
        if (labels.contains(headerLabel)) {
            throw new RouterDataException(
                    file + ": row 1 must be a header (e.g. text,label), but it looks like data: its" + " label \""
                            + headerLabel + "\" also labels other rows");
        }
        return examples;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }
}
