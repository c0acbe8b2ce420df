package dev.guildhall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.gateway.ToolSpec;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.registry.GeneratedDefinitions;
import dev.guildhall.core.tool.Tool;
import dev.guildhall.core.tool.ToolContext;
import dev.guildhall.core.tool.ToolRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a directory of declarative agents into a registry: the cold first load of a fresh JVM
 * (what a starting server or CLI pays) and a warm reload. The definitions are the realistic mix
 * core's tests generate: a quarter with a model, tools and an output schema, the rest one
 * deterministic fallback kind each.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RegistryLoadBenchmark {
    @Param({"200", "500"})
    int definitions;

    private Path dir;
    private ToolRegistry tools;

    @Setup(Level.Trial)
    public void writeDefinitions() throws IOException {
        dir = Files.createTempDirectory("guildhall-registry-bench");
        GeneratedDefinitions.write(dir, definitions);
        tools = ToolRegistry.of(List.of(new LookupTool()));
    }

    @TearDown(Level.Trial)
    public void deleteDefinitions() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The first load in a fresh JVM: class loading and cold code included, one shot per fork. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(5)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public AgentRegistry coldLoad() {
        return load();
    }

    /** A reload once the JVM is warm, as when definitions change under a running server. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(1)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public AgentRegistry warmLoad() {
        return load();
    }

    private AgentRegistry load() {
        AgentRegistry registry =
                AgentRegistry.builder().tools(tools).loadDefinitions(dir).build();
        if (registry.size() != definitions) {
            throw new IllegalStateException("loaded " + registry.size() + " of " + definitions);
        }
        return registry;
    }

    /** The one tool the generated definitions name. */
    static final class LookupTool implements Tool {
        private static final ToolSpec SPEC =
                new ToolSpec("lookup", "Looks a record up.", Json.parse("{\"type\":\"object\"}"));

        @Override
        public ToolSpec spec() {
            return SPEC;
        }

        @Override
        public JsonNode invoke(JsonNode arguments, ToolContext context) {
            return Json.object();
        }
    }
}
