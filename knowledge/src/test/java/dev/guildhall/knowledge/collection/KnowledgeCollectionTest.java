package dev.guildhall.knowledge.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.Citation;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.knowledge.Passage;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import dev.guildhall.knowledge.ingest.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeCollectionTest {
    static final WorkspaceId ACME = WorkspaceId.of("acme");
    static final WorkspaceId GLOBEX = WorkspaceId.of("globex");
    static final CollectionName FAQ = CollectionName.of("faq");

    @TempDir
    Path data;

    KnowledgeBase kb;

    @BeforeEach
    void open() {
        kb = new KnowledgeBase(data, TestEmbedders.bge());
    }

    @AfterEach
    void close() {
        kb.close();
    }

    private Path file(String name, String content) throws IOException {
        Path p = data.resolve("in").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private Path pdfFile(String name, byte[] content) throws IOException {
        Path p = data.resolve("in").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private KnowledgeCollection faqWithFourFormats() throws IOException {
        KnowledgeCollection faq = kb.create(ACME, FAQ);
        faq.addAll(List.of(
                NewDocument.fromFile(
                        file("opening-hours.txt", "Our branches open at nine and close at five on weekdays."),
                        null,
                        Map.of("team", "branches")),
                NewDocument.fromFile(file("cards.md", Fixtures.MARKDOWN), null, Map.of("team", "cards")),
                NewDocument.fromFile(file("savings.html", Fixtures.HTML), null, Map.of("team", "savings")),
                NewDocument.fromFile(
                        pdfFile(
                                "overdraft.pdf",
                                Fixtures.pdf(
                                        "Overdraft terms",
                                        List.of(
                                                List.of("An arranged overdraft costs 19.9 percent a year."),
                                                List.of("Unarranged overdrafts are never offered.")))),
                        null,
                        Map.of("team", "lending"))));
        return faq;
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(h -> h.chunk().documentId().value()).toList();
    }

    @Test
    void each_format_is_ingested_and_found_with_its_citation() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();

        assertThat(faq.documents())
                .extracting(KnowledgeCollection.DocumentSummary::id, KnowledgeCollection.DocumentSummary::format)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(DocumentId.of("cards.md"), "markdown"),
                        org.assertj.core.groups.Tuple.tuple(DocumentId.of("opening-hours.txt"), "text"),
                        org.assertj.core.groups.Tuple.tuple(DocumentId.of("overdraft.pdf"), "pdf"),
                        org.assertj.core.groups.Tuple.tuple(DocumentId.of("savings.html"), "html"));

        SearchHit card = faq.search(SearchRequest.of("emergency card abroad courier", 1, SearchMode.BM25))
                .get(0);
        assertThat(card.chunk().documentId()).isEqualTo(DocumentId.of("cards.md"));
        assertThat(card.chunk().title()).isEqualTo("Card policy");
        assertThat(card.chunk().headingPath()).containsExactly("Card policy", "Lost or stolen cards", "Abroad");
        assertThat(card.chunk().text()).isEqualTo("Abroad, we send an emergency card by courier within 2 days.");

        SearchHit html = faq.search(SearchRequest.of("withdraw without a fee", 1, SearchMode.BM25))
                .get(0);
        assertThat(html.chunk().documentId().value()).isEqualTo("savings.html");
        assertThat(html.chunk().headingPath()).containsExactly("Savings accounts", "Withdrawals");

        SearchHit pdf = faq.search(SearchRequest.of("unarranged overdraft", 1, SearchMode.BM25))
                .get(0);
        assertThat(pdf.chunk().documentId().value()).isEqualTo("overdraft.pdf");
        assertThat(pdf.chunk().title()).isEqualTo("Overdraft terms");
        assertThat(pdf.chunk().page()).isEqualTo(2);
        assertThat(pdf.chunk().location()).isEqualTo("page 2, chunk 1");

        SearchHit text = faq.search(SearchRequest.of("when do branches open", 1, SearchMode.HYBRID))
                .get(0);
        assertThat(text.chunk().documentId().value()).isEqualTo("opening-hours.txt");
        assertThat(text.chunk().title()).isEqualTo("opening-hours");
        assertThat(text.chunk().source()).endsWith("in/opening-hours.txt");

        Citation citation = card.toPassage(FAQ).toCitation();
        assertThat(citation.source()).isEqualTo("cards.md");
        assertThat(citation.quote()).contains("emergency card by courier");
    }

    @Test
    void the_three_modes_find_the_answer_and_report_scores_and_ranks() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();

        List<SearchHit> bm25 = faq.search(SearchRequest.of("overdraft interest rate", 3, SearchMode.BM25));
        List<SearchHit> vector =
                faq.search(SearchRequest.of("how expensive is borrowing on my account", 3, SearchMode.VECTOR));
        List<SearchHit> hybrid = faq.search(SearchRequest.of("what does an overdraft cost", 3, SearchMode.HYBRID));

        assertThat(ids(bm25).get(0)).isEqualTo("overdraft.pdf");
        assertThat(bm25.get(0).bm25Rank()).isEqualTo(1);
        assertThat(bm25.get(0).score()).isGreaterThan(0);
        assertThat(ids(vector)).contains("overdraft.pdf");
        assertThat(vector).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        assertThat(vector.get(0).vectorRank()).isEqualTo(1);
        assertThat(ids(hybrid).get(0)).isEqualTo("overdraft.pdf");
        assertThat(hybrid.get(0).score()).isGreaterThan(1.0 / (KnowledgeCollection.RRF_K + 1));
        assertThat(hybrid.get(0).bm25Rank()).isPositive();
        assertThat(hybrid.get(0).vectorRank()).isPositive();
        assertThat(hybrid).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    }

    @Test
    void filters_keep_only_hits_with_every_given_metadata_value() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();

        for (SearchMode mode : SearchMode.values()) {
            List<SearchHit> hits =
                    faq.search(new SearchRequest("fees cards overdraft savings", 10, mode, Map.of("team", "cards")));
            assertThat(hits).as(mode.label()).isNotEmpty();
            assertThat(ids(hits)).as(mode.label()).containsOnly("cards.md");
        }
        assertThat(faq.search(new SearchRequest("overdraft", 10, SearchMode.HYBRID, Map.of("format", "pdf"))))
                .extracting(h -> h.chunk().documentId().value())
                .containsOnly("overdraft.pdf");
        assertThat(faq.search(new SearchRequest(
                        "overdraft", 10, SearchMode.HYBRID, Map.of("format", "pdf", "team", "cards"))))
                .isEmpty();
    }

    @Test
    void deleting_a_document_removes_all_its_chunks() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();
        int before = faq.chunkCount();
        int cardChunks = faq.findDocument(DocumentId.of("cards.md"))
                .orElseThrow()
                .chunks()
                .size();

        assertThat(faq.delete(DocumentId.of("cards.md"))).isTrue();

        assertThat(faq.chunkCount()).isEqualTo(before - cardChunks);
        for (SearchMode mode : SearchMode.values()) {
            assertThat(ids(faq.search(SearchRequest.of("lost stolen card replacement fees", 10, mode))))
                    .doesNotContain("cards.md");
        }
        assertThat(faq.findDocument(DocumentId.of("cards.md"))).isEmpty();
        assertThat(faq.delete(DocumentId.of("cards.md"))).isFalse();
    }

    @Test
    void replacing_a_document_under_the_same_id_drops_its_old_chunks() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();
        int before = faq.chunkCount();

        faq.add(NewDocument.fromFile(
                file("cards-v2.md", "# Card policy\n\nLost cards are now replaced the next working day."),
                DocumentId.of("cards.md"),
                Map.of("team", "cards")));

        assertThat(faq.chunkCount()).isEqualTo(before - 4 + 1);
        List<SearchHit> hits = faq.search(SearchRequest.of("emergency card courier abroad", 10, SearchMode.BM25));
        assertThat(hits).noneMatch(h -> h.chunk().text().contains("courier"));
        assertThat(faq.search(SearchRequest.of("replaced next working day", 1, SearchMode.BM25))
                        .get(0)
                        .chunk()
                        .source())
                .endsWith("cards-v2.md");
        assertThat(faq.documents()).hasSize(4);
    }

    @Test
    void a_workspace_searches_only_its_own_collections() throws IOException {
        faqWithFourFormats();
        kb.create(GLOBEX, FAQ)
                .add(NewDocument.ofText(
                        DocumentId.of("globex-only"),
                        DocumentFormat.TEXT,
                        "Globex customers get a free gold card.",
                        Map.of()));

        KnowledgeSearch acme = kb.searchFor(ACME);
        KnowledgeSearch globex = kb.searchFor(GLOBEX);
        KnowledgeSearch initech = kb.searchFor(WorkspaceId.of("initech"));

        assertThat(acme.search("faq", "free gold card", 10, Map.of()))
                .extracting(Passage::documentId)
                .doesNotContain("globex-only")
                .isNotEmpty();
        assertThat(globex.search("faq", "overdraft card savings branches", 10, Map.of()))
                .extracting(Passage::documentId)
                .containsOnly("globex-only");
        assertThat(initech.available()).isFalse();
        assertThat(initech.search("faq", "card", 10, Map.of())).isEmpty();
        assertThat(acme.search("no such collection", "card", 10, Map.of())).isEmpty();
        assertThat(kb.list(ACME)).containsExactly(FAQ);
        assertThat(kb.list(WorkspaceId.of("initech"))).isEmpty();
    }

    @Test
    void passages_carry_the_citation_metadata() throws IOException {
        faqWithFourFormats();

        Passage p = kb.searchFor(ACME)
                .search("faq", "emergency card by courier abroad", 1, Map.of())
                .get(0);

        assertThat(p.documentId()).isEqualTo("cards.md");
        assertThat(p.title()).isEqualTo("Card policy");
        assertThat(p.metadata())
                .containsEntry("collection", "faq")
                .containsEntry("heading", "Card policy > Lost or stolen cards > Abroad")
                .containsEntry("format", "markdown")
                .containsEntry("team", "cards")
                .containsKey("source")
                .containsKey("chunk");
    }

    @Test
    void passages_for_agents_score_by_cosine_similarity_so_an_unrelated_question_scores_lower() throws IOException {
        faqWithFourFormats();
        KnowledgeSearch acme = kb.searchFor(ACME);

        Passage related = acme.search("faq", "my card was stolen while I was abroad", 3, Map.of())
                .get(0);
        double unrelated = acme.search("faq", "a recipe for chocolate cake", 3, Map.of()).stream()
                .mapToDouble(Passage::score)
                .max()
                .orElseThrow();

        assertThat(related.documentId()).isEqualTo("cards.md");
        assertThat(related.score()).isBetween(0.0, 1.0).isGreaterThan(unrelated + 0.1);
        assertThat(related.metadata()).containsKeys("mode_score", "bm25_rank", "vector_rank");
    }

    @Test
    void creating_a_collection_twice_fails_and_an_unknown_one_is_not_found() {
        kb.create(ACME, FAQ);

        assertThatThrownBy(() -> kb.create(ACME, FAQ))
                .isInstanceOf(CollectionAlreadyExistsException.class)
                .hasMessage("collection faq already exists in workspace acme");
        assertThatThrownBy(() -> kb.get(ACME, CollectionName.of("nope")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("collection acme/nope not found");
        assertThatThrownBy(() -> CollectionName.of("Bad Name")).hasMessageStartingWith("collection name must be");
    }

    @Test
    void a_document_without_text_is_rejected_and_nothing_is_stored() throws IOException {
        KnowledgeCollection faq = kb.create(ACME, FAQ);

        assertThatThrownBy(() -> faq.addAll(List.of(
                        NewDocument.fromFile(file("ok.txt", "Some text."), null, Map.of()),
                        NewDocument.fromFile(file("empty.html", "<html><body> </body></html>"), null, Map.of()))))
                .hasMessageContaining("empty.html")
                .hasMessageContaining("has no text to index");
        assertThat(faq.documents()).isEmpty();
        assertThat(faq.chunkCount()).isZero();
    }

    @Test
    void one_add_cannot_name_the_same_document_twice() throws IOException {
        KnowledgeCollection faq = kb.create(ACME, FAQ);
        Path a = file("a/x.md", "# One\n\nFirst.");
        Path b = file("b/x.md", "# Two\n\nSecond.");

        assertThatThrownBy(() -> faq.addAll(
                        List.of(NewDocument.fromFile(a, null, Map.of()), NewDocument.fromFile(b, null, Map.of()))))
                .hasMessage("document id x.md is given twice in one add; give each file its own id");
        assertThat(faq.documents()).isEmpty();
    }

    // Crash consistency: the chunk store is written before the index commit, and opening compares them.

    @Test
    void a_document_stored_but_never_committed_to_the_index_is_indexed_when_the_collection_opens() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();
        StoredDocument cards = faq.findDocument(DocumentId.of("cards.md")).orElseThrow();
        StoredDocument lost = new StoredDocument(
                DocumentId.of("lost.md"),
                1000,
                "Lost",
                "lost.md",
                DocumentFormat.MARKDOWN,
                Map.of(),
                cards.chunks().stream()
                        .map(c -> new Chunk(
                                DocumentId.of("lost.md"),
                                c.index(),
                                "Lost",
                                "lost.md",
                                c.headingPath(),
                                0,
                                "zebra " + c.text(),
                                c.metadata()))
                        .toList(),
                cards.model(),
                cards.dimension(),
                cards.vectors());
        faq.storeOnly(lost);
        faq.crash();
        kb = new KnowledgeBase(data, TestEmbedders.bge());

        KnowledgeCollection reopened = kb.get(ACME, FAQ);

        assertThat(reopened.openedWith().reindexed()).isEqualTo(1);
        assertThat(ids(reopened.search(SearchRequest.of("zebra", 10, SearchMode.BM25))))
                .containsOnly("lost.md");
    }

    @Test
    void a_delete_that_reached_the_store_but_not_the_index_is_finished_when_the_collection_opens() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();
        int chunks = faq.chunkCount();
        Path chunksDir = kb.dir(ACME, FAQ).resolve("chunks");
        try (Stream<Path> files = Files.list(chunksDir)) {
            Path cards = files.filter(p -> p.getFileName().toString().startsWith("cards%2Emd."))
                    .findFirst()
                    .orElseThrow();
            Files.delete(cards);
        }
        faq.crash();
        kb = new KnowledgeBase(data, TestEmbedders.bge());

        KnowledgeCollection reopened = kb.get(ACME, FAQ);

        assertThat(reopened.openedWith().removed()).isEqualTo(1);
        assertThat(reopened.chunkCount()).isEqualTo(chunks - 4);
    }

    @Test
    void uncommitted_index_changes_are_lost_in_a_crash_but_recovered_from_the_store() throws IOException {
        KnowledgeCollection faq = kb.create(ACME, FAQ);
        faq.add(NewDocument.ofText(DocumentId.of("a"), DocumentFormat.TEXT, "Alpha text about kiwis.", Map.of()));
        // The second add writes the store, then the index commit never happens.
        faq.storeOnly(new StoredDocument(
                DocumentId.of("b"),
                50,
                "b",
                "b",
                DocumentFormat.TEXT,
                Map.of(),
                List.of(new Chunk(DocumentId.of("b"), 0, "b", "b", List.of(), 0, "Bravo text about mangos.", Map.of())),
                TestEmbedders.bge().modelName(),
                TestEmbedders.bge().dimension(),
                TestEmbedders.bge().embedPassages(List.of("Bravo text about mangos."))));
        faq.crash();
        kb = new KnowledgeBase(data, TestEmbedders.bge());

        KnowledgeCollection reopened = kb.get(ACME, FAQ);

        assertThat(ids(reopened.search(SearchRequest.of("mangos", 5, SearchMode.HYBRID)))
                        .get(0))
                .isEqualTo("b");
        assertThat(ids(reopened.search(SearchRequest.of("kiwis", 5, SearchMode.HYBRID)))
                        .get(0))
                .isEqualTo("a");
    }

    @Test
    void a_lost_index_directory_is_rebuilt_from_the_stored_chunks_when_the_collection_opens() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();
        int chunks = faq.chunkCount();
        kb.close();
        deleteTree(kb.dir(ACME, FAQ).resolve("index"));
        kb = new KnowledgeBase(data, TestEmbedders.bge());

        KnowledgeCollection reopened = kb.get(ACME, FAQ);

        assertThat(reopened.openedWith().reindexed()).isEqualTo(4);
        assertThat(reopened.chunkCount()).isEqualTo(chunks);
        assertThat(ids(reopened.search(SearchRequest.of("unarranged overdraft", 1, SearchMode.HYBRID))))
                .containsExactly("overdraft.pdf");
    }

    @Test
    void a_damaged_index_is_refused_with_the_rebuild_command_and_rebuild_restores_it() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();
        int chunks = faq.chunkCount();
        kb.close();
        try (Stream<Path> files = Files.list(kb.dir(ACME, FAQ).resolve("index"))) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().startsWith("segments")) {
                    Files.write(p, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                }
            }
        }
        kb = new KnowledgeBase(data, TestEmbedders.bge());

        assertThatThrownBy(() -> kb.get(ACME, FAQ))
                .isInstanceOf(IndexNeedsRebuildException.class)
                .hasMessageContaining("the index of collection acme/faq is damaged")
                .hasMessageEndingWith("with `guildhall knowledge rebuild faq --workspace acme`");

        KnowledgeCollection rebuilt = kb.rebuild(ACME, FAQ);

        assertThat(rebuilt.chunkCount()).isEqualTo(chunks);
        assertThat(ids(rebuilt.search(SearchRequest.of("emergency card courier", 1, SearchMode.HYBRID))))
                .containsExactly("cards.md");
    }

    @Test
    void a_damaged_segment_file_is_reported_with_the_rebuild_command_too() throws IOException {
        KnowledgeCollection faq = faqWithFourFormats();
        int chunks = faq.chunkCount();
        kb.close();
        try (Stream<Path> files = Files.list(kb.dir(ACME, FAQ).resolve("index"))) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".si") || n.endsWith(".cfe") || n.endsWith(".cfs")) {
                    Files.write(p, new byte[] {9, 9, 9});
                }
            }
        }
        kb = new KnowledgeBase(data, TestEmbedders.bge());

        assertThatThrownBy(() -> kb.get(ACME, FAQ))
                .isInstanceOf(IndexNeedsRebuildException.class)
                .hasMessageContaining("is damaged");
        assertThat(kb.rebuild(ACME, FAQ).chunkCount()).isEqualTo(chunks);
    }

    @Test
    void a_change_of_embedding_model_forces_a_rebuild_that_embeds_every_chunk_again() throws IOException {
        faqWithFourFormats();
        kb.close();
        kb = new KnowledgeBase(data, TestEmbedders.hashing());

        assertThatThrownBy(() -> kb.get(ACME, FAQ))
                .isInstanceOf(IndexNeedsRebuildException.class)
                .hasMessageContaining("holds vectors of bge-small-en-v1.5-q (384 dimensions)")
                .hasMessageContaining("this process embeds with test-hashing (64 dimensions)");

        KnowledgeCollection rebuilt = kb.rebuild(ACME, FAQ);

        assertThat(rebuilt.openedWith().reembedded()).isEqualTo(4);
        assertThat(rebuilt.findDocument(DocumentId.of("cards.md")).orElseThrow().model())
                .isEqualTo("test-hashing");
        assertThat(ids(rebuilt.search(SearchRequest.of("unarranged overdrafts", 1, SearchMode.VECTOR))))
                .containsExactly("overdraft.pdf");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
