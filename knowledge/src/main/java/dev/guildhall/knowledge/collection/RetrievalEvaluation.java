package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Retrieval quality on a set of questions whose answering document is known. For each question the
 * collection is searched for the top {@value #DEPTH} chunks; the answer's rank is the position of
 * the first chunk from the answering document. Recall@k is the share of questions answered within
 * the first k chunks, MRR the mean of 1/rank (0 beyond rank {@value #DEPTH}).
 */
public final class RetrievalEvaluation {
    /** How deep each search goes for MRR. */
    public static final int DEPTH = 10;

    private RetrievalEvaluation() {}

    /** A question and the id of the document that answers it. */
    public record Question(String text, DocumentId answer) {
        public Question {
            Checks.notBlank(text, "question");
            Checks.notNull(answer, "answer");
        }
    }

    /** The figures of one mode, and the questions it missed at k. */
    public record Figures(SearchMode mode, int questions, int k, double recallAtK, double mrr, List<String> misses) {
        public Figures {
            misses = List.copyOf(misses);
        }

        /** {@code mode=hybrid questions=50 recall@5=0.9400 mrr=0.8123}. */
        public String line() {
            return "mode=%s questions=%d recall@%d=%.4f mrr=%.4f".formatted(mode.label(), questions, k, recallAtK, mrr);
        }
    }

    public static Figures evaluate(KnowledgeCollection collection, List<Question> questions, SearchMode mode, int k) {
        Checks.notEmpty(questions, "questions");
        Checks.positive(k, "k");
        int found = 0;
        double reciprocal = 0;
        List<String> misses = new ArrayList<>();
        for (Question q : questions) {
            List<SearchHit> hits = collection.search(SearchRequest.of(q.text(), Math.max(k, DEPTH), mode));
            int rank = 0;
            for (int i = 0; i < hits.size(); i++) {
                if (hits.get(i).chunk().documentId().equals(q.answer())) {
                    rank = i + 1;
                    break;
                }
            }
            if (rank > 0 && rank <= k) {
                found++;
            } else {
                misses.add(q.text() + " -> " + q.answer()
                        + (rank == 0 ? " (not in top " + DEPTH + ")" : " (rank " + rank + ")"));
            }
            if (rank > 0 && rank <= DEPTH) {
                reciprocal += 1.0 / rank;
            }
        }
        return new Figures(
                mode, questions.size(), k, (double) found / questions.size(), reciprocal / questions.size(), misses);
    }

    /** Adds every .txt, .md, .html and .pdf file of {@code dir} with its file name as id, in one batch. */
    public static int addDirectory(KnowledgeCollection collection, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("document directory not found: " + dir);
        }
        List<NewDocument> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f)
                        && DocumentFormat.fromFileName(f.getFileName().toString())
                                .isPresent()) {
                    docs.add(NewDocument.fromFile(f, null, Map.of()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("no .txt, .md, .html or .pdf files in " + dir);
        }
        collection.addAll(docs);
        return docs.size();
    }

    /**
     * Reads {@code question,document} rows (a header first; fields may be double-quoted, with {@code
     * ""} for a quote).
     */
    public static List<Question> readQuestions(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read questions file " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equalsIgnoreCase("question,document")) {
            throw new IllegalArgumentException(csv + ":1: the header must be question,document");
        }
        List<Question> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> fields = csvFields(lines.get(i));
            if (fields.size() != 2 || fields.get(0).isBlank() || fields.get(1).isBlank()) {
                throw new IllegalArgumentException(
                        csv + ":" + (i + 1) + ": expected a question and a document id, was " + lines.get(i));
            }
            out.add(new Question(
                    fields.get(0).strip(), DocumentId.of(fields.get(1).strip())));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(csv + ": no questions");
        }
        return out;
    }

    static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
