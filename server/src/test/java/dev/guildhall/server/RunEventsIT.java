package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunEventsIT extends ServerTestSupport {
    private final HttpClient client = HttpClient.newHttpClient();

    record Event(long id, String name, String data) {}

    @Test
    void streams_a_run_live_in_order_and_ends_after_the_terminal_event() throws Exception {
        String token = login("admin");
        String run = startRun(token, "my card was stolen");
        List<Event> events = read(token, run, null);
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).name()).isEqualTo("run.created");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("run.succeeded");
        assertThat(events).extracting(Event::id).isSorted().doesNotHaveDuplicates();
        assertThat(events.get(0).id()).isZero();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).id()).isEqualTo(events.get(i - 1).id() + 1); // No checkpoint skipped.
        }
        assertThat(events.get(1).data()).contains("\"run\":\"" + run + "\"").contains("\"workspace\":\"demo\"");
    }

    @Test
    void resumes_after_the_last_event_id() throws Exception {
        String token = login("admin");
        String run = startRun(token, "refund for order 12");
        List<Event> all = read(token, run, null);
        long middle = all.get(all.size() / 2).id();
        List<Event> rest = read(token, run, Long.toString(middle));
        assertThat(rest)
                .extracting(Event::id)
                .containsExactlyElementsOf(
                        all.stream().map(Event::id).filter(id -> id > middle).toList());
        assertThat(rest.get(rest.size() - 1).name()).isEqualTo("run.succeeded");
    }

    @Test
    void a_bad_last_event_id_is_a_validation_problem() throws Exception {
        String token = login("admin");
        String run = startRun(token, "hello");
        HttpResponse<String> r = client.send(
                request(token, run).header("Last-Event-ID", "yesterday").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.body()).contains("Last-Event-ID");
    }

    private HttpRequest.Builder request(String token, String run) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/runs/" + run + "/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
    }

    private List<Event> read(String token, String run, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(token, run);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = client.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Event> events = new ArrayList<>();
        long id = -1;
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line : (Iterable<String>) r.body()::iterator) {
            if (line.isEmpty()) {
                if (name != null) {
                    events.add(new Event(id, name, data.toString()));
                }
                name = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).trim());
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            }
        }
        return events;
    }
}
