package dev.guildhall.core.workflow.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * N agents argue for up to R rounds; in each round every debater sees the whole transcript so far
 * and answers with a {@code position} (and an {@code argument}). The debate stops early when the
 * positions agree; otherwise (or always, with {@code judgeOnConsensus}) a judge reads the
 * transcript and decides.
 *
 * <p>Debater input: {@code {"question", "round", "transcript": [{"round", "agent", "position",
 * "argument"}]}}. Judge input: the same plus {@code "consensus"}. The output is {@code {"decision",
 * "decidedBy": "consensus"|"judge", "rounds", "stoppedEarly", "transcript"}}.
 */
public final class Debate extends PatternStep {
    private final List<AgentId> debaters;
    private final AgentId judge;
    private final int rounds;
    private final boolean judgeOnConsensus;
    private final Predicate<List<String>> consensus;

    private Debate(Builder b) {
        super(b.input, b.output);
        this.debaters = List.copyOf(b.debaters);
        this.judge = b.judge;
        this.rounds = b.rounds;
        this.judgeOnConsensus = b.judgeOnConsensus;
        this.consensus = b.consensus;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All positions equal, ignoring case and surrounding space. */
    public static Predicate<List<String>> unanimous() {
        return positions -> positions.stream()
                        .map(p -> p.trim().toLowerCase(Locale.ROOT))
                        .distinct()
                        .count()
                == 1;
    }

    @Override
    protected AgentResult perform(StepContext context, JsonNode input) {
        JsonNode question = input.has("question") ? input.get("question") : input;
        ArrayNode transcript = Json.mapper().createArrayNode();
        List<AgentResult> all = new ArrayList<>();
        int round = 0;
        boolean agreed = false;
        List<String> positions = List.of();
        while (round < rounds && !agreed) {
            round++;
            int r = round;
            ObjectNode task = Json.object();
            task.set("question", question);
            task.put("round", r);
            task.set("transcript", transcript.deepCopy());
            List<Callable<AgentResult>> turns = new ArrayList<>();
            for (AgentId d : debaters) {
                turns.add(() -> context.call("round" + r + "/" + d.value(), d, AgentTask.of(task)));
            }
            List<AgentResult> answers = context.inParallel(turns, debaters.size());
            all.addAll(answers);
            List<String> roundPositions = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                JsonNode out = answers.get(i).output();
                String position = out.path("position").asText(answers.get(i).text());
                roundPositions.add(position);
                transcript
                        .addObject()
                        .put("round", r)
                        .put("agent", debaters.get(i).value())
                        .put("position", position)
                        .put("argument", out.path("argument").asText(""));
            }
            positions = roundPositions;
            agreed = consensus.test(positions);
        }
        ObjectNode out = Json.object();
        double confidence;
        List<String> nextSteps = List.of();
        if (agreed && !judgeOnConsensus) {
            out.put("decision", positions.get(0));
            out.put("decidedBy", "consensus");
            confidence = all.subList(all.size() - debaters.size(), all.size()).stream()
                    .mapToDouble(AgentResult::confidence)
                    .average()
                    .orElse(0);
        } else {
            ObjectNode judgeTask = Json.object();
            judgeTask.set("question", question);
            judgeTask.put("round", round);
            judgeTask.put("consensus", agreed);
            judgeTask.set("transcript", transcript);
            AgentResult verdict = context.call("judge", judge, AgentTask.of(judgeTask));
            all.add(verdict);
            JsonNode v = verdict.output();
            out.set("decision", v.has("decision") ? v.get("decision") : v);
            out.put("decidedBy", "judge");
            confidence = verdict.confidence();
            nextSteps = verdict.nextSteps();
        }
        out.put("rounds", round);
        out.put("stoppedEarly", agreed && round < rounds);
        out.set("transcript", transcript);
        return new AgentResult(out, confidence, List.of(), nextSteps, Results.usage(all), Results.mode(all));
    }

    public static final class Builder extends PatternBuilder<Builder> {
        private final List<AgentId> debaters = new ArrayList<>();
        private AgentId judge;
        private int rounds = 3;
        private boolean judgeOnConsensus;
        private Predicate<List<String>> consensus = unanimous();

        private Builder() {
            super("debate");
        }

        public Builder debater(AgentId agent) {
            debaters.add(Checks.notNull(agent, "debater"));
            return this;
        }

        public Builder debaters(List<AgentId> agents) {
            agents.forEach(this::debater);
            return this;
        }

        public Builder judge(AgentId agent) {
            this.judge = Checks.notNull(agent, "judge");
            return this;
        }

        public Builder rounds(int max) {
            this.rounds = Checks.positive(max, "rounds");
            return this;
        }

        /** Whether the judge decides even when the debaters agreed; false by default (agreement decides). */
        public Builder judgeOnConsensus(boolean always) {
            this.judgeOnConsensus = always;
            return this;
        }

        /** When the debaters count as agreed, given their latest positions. */
        public Builder consensus(Predicate<List<String>> rule) {
            this.consensus = Checks.notNull(rule, "consensus");
            return this;
        }

        public Debate build() {
            Checks.check(debaters.size() >= 2, "a debate needs at least 2 debaters, was " + debaters.size());
            Checks.notNull(judge, "judge");
            return new Debate(this);
        }
    }
}
