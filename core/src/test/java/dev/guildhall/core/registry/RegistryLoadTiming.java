package dev.guildhall.core.registry;

import dev.guildhall.core.json.Json;
import dev.guildhall.core.tool.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informal timing of loading many definitions, until the bench module has a JMH benchmark for
 * it. Not a test. Run from the repository root after {@code mvn -pl core -am test-compile}:
 *
 * <pre>{@code
 * mvn -q -pl core dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp core/target/test-classes:core/target/classes:$(cat /tmp/cp.txt) \
 *     dev.guildhall.core.registry.RegistryLoadTiming 500
 * }</pre>
 */
final class RegistryLoadTiming {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryLoadTiming.class);

    private RegistryLoadTiming() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path dir = Files.createTempDirectory("guildhall-defs");
        GeneratedDefinitions.write(dir, count);
        ToolRegistry tools = ToolRegistry.of(List.of(new RecordingTool("lookup", a -> Json.object())));
        for (int round = 1; round <= 10; round++) {
            long start = System.nanoTime();
            AgentRegistry registry =
                    AgentRegistry.builder().tools(tools).loadDefinitions(dir).build();
            long micros = (System.nanoTime() - start) / 1_000;
            LOG.info("round {}: loaded {} definitions in {} ms", round, registry.size(), micros / 1000.0);
        }
    }
}
