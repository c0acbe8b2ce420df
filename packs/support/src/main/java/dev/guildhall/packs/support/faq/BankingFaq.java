package dev.guildhall.packs.support.faq;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.collection.CollectionName;
import dev.guildhall.knowledge.collection.DocumentId;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.knowledge.collection.KnowledgeCollection;
import dev.guildhall.knowledge.collection.NewDocument;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import dev.guildhall.knowledge.router.LabelledExample;
import dev.guildhall.packs.support.agents.KnowledgeAnswerer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pack's demo content for an online-banking desk over the 77 Banking77 intents: a self-written
 * help centre (one article per intent it answers, {@code faq/banking-faq.md}) and a handful of
 * self-written example messages per intent plus some out-of-scope ones ({@code
 * faq/banking-examples.csv}), so a workspace can train its router without any external data.
 */
public final class BankingFaq {
    public static final String FAQ_RESOURCE = "guildhall/support/faq/banking-faq.md";
    public static final String EXAMPLES_RESOURCE = "guildhall/support/faq/banking-examples.csv";

    private static final Pattern MARKER = Pattern.compile("(?m)^<!-- intent: (\\S+) -->\\s*$");

    private BankingFaq() {}

    /** One Markdown document per article, id {@code faq/<intent>.md}, with metadata {@code intent}. */
    public static List<NewDocument> documents() {
        String text = read(FAQ_RESOURCE);
        Matcher m = MARKER.matcher(text);
        List<int[]> marks = new ArrayList<>();
        List<String> intents = new ArrayList<>();
        while (m.find()) {
            marks.add(new int[] {m.start(), m.end()});
            intents.add(m.group(1));
        }
        List<NewDocument> docs = new ArrayList<>();
        for (int i = 0; i < marks.size(); i++) {
            int end = i + 1 < marks.size() ? marks.get(i + 1)[0] : text.length();
            String article = text.substring(marks.get(i)[1], end).strip();
            // The article's "## Title" becomes the document's "# Title".
            String markdown = article.startsWith("## ") ? article.substring(1) : article;
            String intent = intents.get(i);
            DocumentId id = DocumentId.of("faq/" + intent + ".md");
            docs.add(new NewDocument(
                    id,
                    FAQ_RESOURCE + "#" + intent,
                    DocumentFormat.MARKDOWN,
                    markdown.getBytes(StandardCharsets.UTF_8),
                    null,
                    Map.of("intent", intent)));
        }
        return docs;
    }

    /** The intents the help centre has an article for. */
    public static List<String> intents() {
        List<String> out = new ArrayList<>();
        Matcher m = MARKER.matcher(read(FAQ_RESOURCE));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * Adds (or replaces) every article in the workspace's {@value KnowledgeAnswerer#COLLECTION}
     * collection, creating it when missing.
     */
    public static KnowledgeCollection install(KnowledgeBase knowledge, WorkspaceId workspace) {
        CollectionName name = CollectionName.of(KnowledgeAnswerer.COLLECTION);
        KnowledgeCollection collection =
                knowledge.find(workspace, name).orElseGet(() -> knowledge.create(workspace, name));
        collection.addAll(documents());
        return collection;
    }

    /** The pack's example messages ({@code text,label}; label {@code oos} for out of scope). */
    public static List<LabelledExample> examples() {
        try (Reader reader = reader(EXAMPLES_RESOURCE);
                MappingIterator<String[]> it = new CsvMapper()
                        .readerFor(String[].class)
                        .with(CsvParser.Feature.WRAP_AS_ARRAY)
                        .with(CsvParser.Feature.SKIP_EMPTY_LINES)
                        .readValues(reader)) {
            List<String[]> rows = it.readAll();
            List<LabelledExample> out = new ArrayList<>(rows.size());
            for (String[] row : rows.subList(1, rows.size())) {
                out.add(new LabelledExample(row[0].strip(), row[1].strip()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + EXAMPLES_RESOURCE, e);
        }
    }

    private static String read(String resource) {
        try (Reader reader = reader(resource)) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = reader.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static Reader reader(String resource) {
        InputStream in = BankingFaq.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing from the support pack's jar");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
