package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

/** The knowledge API over real HTTP: collections, documents in four formats, search with citations, isolation. */
class KnowledgeApiIT extends ServerTestSupport {
    static final String BASE = "/api/v1/knowledge/collections";
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient client = HttpClient.newHttpClient();

    static final String CARDS_MD =
            """
            # Cards

            ## Lost or stolen cards

            Freeze a lost or stolen card in the app at once. A replacement arrives within three working days,
            also when you are travelling abroad.

            ## Card limits

            The daily cash withdrawal limit is 500 euros.
            """;

    static final String FEES_HTML =
            """
            <html><head><title>Fees</title></head><body>
            <nav>Home | Fees</nav>
            <h1>Fees</h1><p>Sending money abroad costs 0.5 % of the amount, at least 1 euro.</p>
            <h2>Overdraft</h2><p>Going into the red costs 9 % a year on the overdrawn amount.</p>
            </body></html>
            """;

    /** Adds a document; {@code meta} alternates key, value. */
    HttpResponse<String> put(String token, String path, String contentType, byte[] body, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path + query))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType);
        String[] auth = Http.auth(token);
        b.header(auth[0], auth[1]);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    static byte[] pdf(String text) throws IOException {
        try (PDDocument doc = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                s.beginText();
                s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                s.newLineAtOffset(72, 700);
                s.showText(text);
                s.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    String collection() {
        return "faq-" + UUID.randomUUID().toString().substring(0, 8);
    }

    List<String> documentsOf(JsonNode searchResult) {
        List<String> out = new ArrayList<>();
        searchResult
                .path("hits")
                .forEach(h -> out.add(h.path("citation").path("document").asText()));
        return out;
    }

    @Test
    void documents_of_every_format_are_searchable_with_scores_and_citations_and_can_be_replaced_and_deleted()
            throws IOException {
        String member = login("mia");
        String name = collection();
        Http.Response created = http.post(BASE, member, Http.json(Map.of("name", name)));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(BASE + "/" + name);
        String docs = BASE + "/" + name + "/documents/";

        HttpResponse<String> md = put(
                member,
                docs + "cards.md",
                "text/markdown",
                CARDS_MD.getBytes(StandardCharsets.UTF_8),
                "?meta=team=cards");
        assertThat(md.statusCode()).as(md.body()).isEqualTo(201);
        assertThat(json(md).path("title").asText()).isEqualTo("Cards");
        assertThat(json(md).path("format").asText()).isEqualTo("markdown");
        HttpResponse<String> html = put(
                member,
                docs + "fees.html",
                "text/html; charset=utf-8",
                FEES_HTML.getBytes(StandardCharsets.UTF_8),
                "?meta=team=payments&source=" + URLEncoder.encode("https://example.com/fees", StandardCharsets.UTF_8));
        assertThat(html.statusCode()).as(html.body()).isEqualTo(201);
        assertThat(put(
                                member,
                                docs + "hours.txt",
                                "text/plain",
                                "Our support line is open from 8 to 20 every day.".getBytes(StandardCharsets.UTF_8),
                                "?meta=team=support")
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> pdf = put(
                member,
                docs + "savings.pdf",
                "application/pdf",
                pdf("The instant access savings account pays 2.1 % interest a year."),
                "?title=Savings");
        assertThat(pdf.statusCode()).as(pdf.body()).isEqualTo(201);
        assertThat(json(pdf).path("format").asText()).isEqualTo("pdf");

        Http.Response hybrid = http.post(
                BASE + "/" + name + "/search",
                member,
                Http.json(Map.of("query", "my card was stolen while travelling", "k", 3)));
        assertThat(hybrid.status()).as(hybrid.raw().body()).isEqualTo(200);
        JsonNode first = hybrid.json().path("hits").get(0);
        assertThat(hybrid.json().path("mode").asText()).isEqualTo("hybrid");
        assertThat(first.path("citation").path("document").asText()).isEqualTo("cards.md");
        assertThat(first.path("citation").path("heading").toString()).contains("Lost or stolen cards");
        assertThat(first.path("citation").path("metadata").path("team").asText())
                .isEqualTo("cards");
        assertThat(first.path("text").asText()).contains("Freeze a lost or stolen card");
        assertThat(first.path("score").asDouble()).isPositive();
        assertThat(first.path("similarity").asDouble()).isBetween(0.5, 1.0);

        Http.Response pdfHit = http.post(
                BASE + "/" + name + "/search",
                member,
                Http.json(Map.of("query", "interest on savings", "mode", "bm25", "k", 1)));
        JsonNode savings = pdfHit.json().path("hits").get(0);
        assertThat(savings.path("citation").path("document").asText()).isEqualTo("savings.pdf");
        assertThat(savings.path("citation").path("page").asInt()).isEqualTo(1);
        assertThat(savings.has("similarity"))
                .as("bm25 embeds nothing, so no similarity")
                .isFalse();
        assertThat(savings.has("bm25Rank")).isFalse();

        Http.Response filtered = http.post(
                BASE + "/" + name + "/search",
                member,
                Http.json(Map.of(
                        "query", "costs abroad", "mode", "vector", "k", 10, "filters", Map.of("team", "payments"))));
        assertThat(documentsOf(filtered.json())).isNotEmpty().containsOnly("fees.html");
        assertThat(filtered.json()
                        .path("hits")
                        .get(0)
                        .path("citation")
                        .path("source")
                        .asText())
                .isEqualTo("https://example.com/fees");

        // Replacing keeps the id, drops the old chunks.
        HttpResponse<String> replaced = put(
                member,
                docs + "cards.md",
                "text/markdown",
                "# Cards\n\nCards are made of recycled plastic.".getBytes(StandardCharsets.UTF_8),
                "");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(json(replaced).path("revision").asLong())
                .isGreaterThan(json(md).path("revision").asLong());
        Http.Response afterReplace = http.post(
                BASE + "/" + name + "/search",
                member,
                Http.json(Map.of("query", "freeze stolen card replacement", "mode", "bm25", "k", 10)));
        afterReplace.json().path("hits").forEach(h -> assertThat(h.path("text").asText())
                .doesNotContain("Freeze"));

        assertThat(http.get(BASE + "/" + name + "/documents", member).json().size())
                .isEqualTo(4);
        assertThat(http.delete(docs + "fees.html", member).status()).isEqualTo(204);
        assertProblem(http.delete(docs + "fees.html", member), 404, "not-found");
        assertThat(documentsOf(http.post(
                                BASE + "/" + name + "/search",
                                member,
                                Http.json(Map.of("query", "costs abroad", "k", 10)))
                        .json()))
                .doesNotContain("fees.html");
        Http.Response listed = http.get(BASE, member);
        JsonNode mine = null;
        for (JsonNode c : listed.json()) {
            if (c.path("name").asText().equals(name)) {
                mine = c;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("documents").asInt()).isEqualTo(3);

        assertThat(http.delete(BASE + "/" + name, member).status()).isEqualTo(204);
        assertProblem(http.get(BASE + "/" + name, member), 404, "not-found");
    }

    @Test
    void another_workspaces_collection_is_not_found_and_viewers_cannot_write() {
        String owner = login("admin");
        String name = collection();
        assertThat(http.post(BASE, owner, Http.json(Map.of("name", name))).status())
                .isEqualTo(201);
        assertThat(put(
                                owner,
                                BASE + "/" + name + "/documents/secret.txt",
                                "text/plain",
                                "The vault code is 1234.".getBytes(StandardCharsets.UTF_8),
                                "")
                        .statusCode())
                .isEqualTo(201);

        String other = login("bob");
        assertProblem(http.get(BASE + "/" + name, other), 404, "not-found");
        assertProblem(
                http.post(BASE + "/" + name + "/search", other, Http.json(Map.of("query", "vault code"))),
                404,
                "not-found");
        assertProblem(http.delete(BASE + "/" + name + "/documents/secret.txt", other), 404, "not-found");
        assertProblem(http.delete(BASE + "/" + name, other), 404, "not-found");
        assertThat(http.get(BASE, other).raw().body()).doesNotContain(name);
        // bob may create his own collection of the same name: a different collection.
        assertThat(http.post(BASE, other, Http.json(Map.of("name", name))).status())
                .isEqualTo(201);
        assertThat(http.post(BASE + "/" + name + "/search", other, Http.json(Map.of("query", "vault code")))
                        .json()
                        .path("hits")
                        .size())
                .isZero();

        String viewer = login("vic");
        assertThat(http.post(BASE + "/" + name + "/search", viewer, Http.json(Map.of("query", "vault code")))
                        .status())
                .isEqualTo(200);
        assertProblem(http.post(BASE, viewer, Http.json(Map.of("name", collection()))), 403, "forbidden");
        assertThat(put(viewer, BASE + "/" + name + "/documents/x.txt", "text/plain", new byte[] {'x'}, "")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void bad_input_is_a_problem_document_naming_the_field() {
        String member = login("mia");
        String name = collection();
        assertThat(http.post(BASE, member, Http.json(Map.of("name", name))).status())
                .isEqualTo(201);
        String search = BASE + "/" + name + "/search";

        assertProblem(http.post(BASE, member, Http.json(Map.of("name", name))), 409, "conflict");
        Http.Response badName = http.post(BASE, member, Http.json(Map.of("name", "Not A Name!")));
        assertProblem(badName, 400, "validation");
        assertThat(badName.json().path("field").asText()).isEqualTo("name");
        Http.Response badMode = http.post(search, member, Http.json(Map.of("query", "x", "mode", "fuzzy")));
        assertProblem(badMode, 400, "validation");
        assertThat(badMode.json().path("field").asText()).isEqualTo("mode");
        Http.Response badK = http.post(search, member, Http.json(Map.of("query", "x", "k", 0)));
        assertProblem(badK, 400, "validation");
        assertThat(badK.json().path("field").asText()).isEqualTo("k");
        Http.Response noQuery = http.post(search, member, Http.json(Map.of("k", 3)));
        assertProblem(noQuery, 400, "validation");
        assertThat(noQuery.json().path("field").asText()).isEqualTo("query");
        assertProblem(http.post(search, member, "{not json"), 400, "malformed-request");

        HttpResponse<String> json =
                put(member, BASE + "/" + name + "/documents/a.json", "application/json", "{}".getBytes(), "");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json(json).path("detail").asText()).contains("text/markdown");
        HttpResponse<String> badPdf =
                put(member, BASE + "/" + name + "/documents/b.pdf", "application/pdf", "not a pdf".getBytes(), "");
        assertThat(badPdf.statusCode()).as(badPdf.body()).isEqualTo(400);
        assertThat(json(badPdf).path("field").asText()).isEqualTo("body");
        HttpResponse<String> badMeta =
                put(member, BASE + "/" + name + "/documents/c.txt", "text/plain", "hello".getBytes(), "?meta=nokey");
        assertThat(badMeta.statusCode()).isEqualTo(400);
        assertThat(json(badMeta).path("field").asText()).isEqualTo("meta");
        assertProblem(http.get(BASE + "/no-such-collection/documents", member), 404, "not-found");
    }
}
