package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guildhall knowledge ...}, run in-process as bin/guildhall runs it. */
class KnowledgeCliIT {
    @TempDir
    Path data;

    record Result(int code, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GuildhallCli.execute(
                args,
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of("GUILDHALL_DATA_DIR", data.resolve("data").toString()));
        return new Result(code, out.toString(), err.toString());
    }

    Path file(String name, String content) throws IOException {
        Path p = data.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void create_add_search_list_delete_and_rebuild_a_collection() throws IOException {
        Path cards = file(
                "cards.md", "# Cards\n\n## Lost cards\n\nFreeze a lost card in the app. A new one arrives in 3 days.");
        Path hours = file("hours.html", "<h1>Opening hours</h1><p>Branches open at nine on weekdays.</p>");
        Path hours2 = file("hours2.txt", "Branches now open at eight on weekdays.");

        assertThat(run("knowledge", "create", "faq", "--workspace", "acme").out())
                .contains("created collection faq in workspace acme");
        Result add = run(
                "knowledge",
                "add",
                "faq",
                cards.toString(),
                hours.toString(),
                "--workspace",
                "acme",
                "--meta",
                "team=support");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("added cards.md (markdown, 1 chunks, \"Cards\")", "added hours.html (html");

        Result search = run(
                "knowledge",
                "search",
                "faq",
                "I",
                "lost",
                "my",
                "card",
                "--workspace",
                "acme",
                "-k",
                "1",
                "--filter",
                "team=support");
        assertThat(search.code()).as(search.err()).isZero();
        assertThat(search.out())
                .contains("1. score=", "[cards.md] Cards — Cards > Lost cards, chunk 0", "(bm25 #1, vector #1)")
                .contains("Freeze a lost card in the app.")
                .contains("source: " + cards);
        assertThat(run("knowledge", "search", "faq", "card", "--mode", "bm25", "--workspace", "other")
                        .err())
                .isEqualTo("guildhall: collection other/faq not found\n");

        Result replace = run("knowledge", "add", "faq", hours2.toString(), "--id", "hours.html", "--workspace", "acme");
        assertThat(replace.out()).contains("replaced hours.html (text, 1 chunks");
        assertThat(run("knowledge", "search", "faq", "when do branches open", "--mode", "vector", "--workspace", "acme")
                        .out())
                .contains("eight")
                .doesNotContain("nine");

        assertThat(run("knowledge", "list", "--workspace", "acme").out()).contains("faq", "2 documents");
        assertThat(run("knowledge", "list", "faq", "--workspace", "acme").out()).contains("cards.md", "hours.html");
        assertThat(run("knowledge", "delete", "faq", "cards.md", "--workspace", "acme")
                        .out())
                .contains("deleted cards.md");
        assertThat(run("knowledge", "rebuild", "faq", "--workspace", "acme").out())
                .contains("rebuilt faq: 1 documents, 1 chunks indexed (0 re-embedded with bge-small-en-v1.5-q");
    }

    @Test
    void bad_input_is_one_line_on_stderr_and_exit_1() throws IOException {
        run("knowledge", "create", "faq");
        Path docx = file("a.docx", "x");

        assertThat(run("knowledge", "create", "faq"))
                .isEqualTo(new Result(1, "", "guildhall: collection faq already exists in workspace default\n"));
        assertThat(run("knowledge", "add", "faq", docx.toString()).err())
                .isEqualTo("guildhall: cannot tell the format of " + docx + ": use .txt, .md, .html or .pdf\n");
        assertThat(run("knowledge", "add", "faq", data.resolve("missing.md").toString())
                        .err())
                .isEqualTo("guildhall: file not found: " + data.resolve("missing.md") + "\n");
        assertThat(run("knowledge", "search", "faq", "x", "--mode", "fuzzy"))
                .isEqualTo(new Result(1, "", "guildhall: mode must be bm25, vector or hybrid, was \"fuzzy\"\n"));
        assertThat(run("knowledge", "search", "faq", "x", "--filter", "team").err())
                .isEqualTo("guildhall: --filter must look like KEY=VALUE, was \"team\"\n");
        assertThat(run("knowledge", "delete", "faq", "nope").err())
                .isEqualTo("guildhall: no document nope in collection faq of workspace default\n");
        assertThat(run("knowledge", "create", "Bad Name").err()).startsWith("guildhall: collection name must be");
        Result pdf =
                run("knowledge", "add", "faq", file("fake.pdf", "not a pdf").toString());
        assertThat(pdf.code()).isEqualTo(1);
        assertThat(pdf.err()).startsWith("guildhall: cannot read " + data.resolve("fake.pdf") + " as pdf: ");
        assertThat(pdf.err().lines()).hasSize(1);
    }

    @Test
    void an_agent_answers_from_its_workspace_collection_with_a_citation_and_escalates_the_rest() throws IOException {
        Files.createDirectories(data.resolve("agents"));
        file(
                "agents/kb-answerer.yaml",
                """
                id: kb-answerer
                name: Knowledge answerer
                description: Answers from the workspace's FAQ collection, quoting the best passage.
                tier: essential
                team: support
                capabilities: [answers]
                model: standard
                timeout: 30s
                inputs:
                  message: {required: true}
                instructions: Answer from the FAQ.
                prompt: "{{message}}"
                fallback:
                  kind: retrieve
                  collection: faq
                  query: "{{message}}"
                  k: 3
                  minScore: 0.6
                """);
        Path workflow = file(
                "workflow.yaml",
                """
                id: kb-answer
                description: Answer one message from the knowledge collection.
                steps:
                  - id: answer
                    agent: kb-answerer
                    input: {message: "{{message}}"}
                    next: end
                """);
        Path cards = Path.of("..", "examples", "knowledge", "fernway-bank", "docs", "cards-lost-stolen.md");
        Path overdraft = Path.of("..", "examples", "knowledge", "fernway-bank", "docs", "overdraft.md");
        run("knowledge", "create", "faq", "--workspace", "acme");
        assertThat(run("knowledge", "add", "faq", cards.toString(), overdraft.toString(), "--workspace", "acme")
                        .code())
                .isZero();

        Result answered = run(
                "run",
                workflow.toString(),
                "--workspace",
                "acme",
                "--input-json",
                "{\"message\":\"I lost my card while travelling, what do I do?\"}");
        Result outOfScope = run(
                "run",
                workflow.toString(),
                "--workspace",
                "acme",
                "--input-json",
                "{\"message\":\"what is the capital of France?\"}");
        Result otherWorkspace = run(
                "run",
                workflow.toString(),
                "--workspace",
                "globex",
                "--input-json",
                "{\"message\":\"I lost my card while travelling, what do I do?\"}");

        assertThat(answered.code()).as(answered.err()).isZero();
        assertThat(answered.out())
                .contains("\"source\" : \"cards-lost-stolen.md\"", "freeze it in the app under Card > Freeze")
                .contains("\"citations\" : [ {");
        assertThat(outOfScope.out()).contains("\"escalate\" : true", "no passage in 'faq' scored at least 0.6");
        assertThat(otherWorkspace.out()).contains("\"escalate\" : true", "no knowledge is configured");
    }
}
