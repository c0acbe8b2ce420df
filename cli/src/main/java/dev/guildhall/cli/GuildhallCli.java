package dev.guildhall.cli;

import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code guildhall} command. {@link #execute} is what {@code main} and the tests call. */
@Command(
        name = "guildhall",
        mixinStandardHelpOptions = true,
        versionProvider = GuildhallCli.Version.class,
        description = "Guildhall: run fleets of AI agents as a real service.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            AgentsCommand.class,
            WorkflowsCommand.class,
            SpendCommand.class,
            KnowledgeCommand.class,
            RouterCommand.class,
            RunsCommand.class,
            RetentionCommand.class,
            WorkerCommand.class,
            SupportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class GuildhallCli implements Runnable {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where Guildhall keeps its data, the embedded database included"
                    + " (default: $GUILDHALL_DATA_DIR or ./data). $GUILDHALL_DB_URL names another database.")
    Path dataDir;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (default: $GUILDHALL_CONFIG, or ./guildhall.yaml when present).")
    Path config;

    Map<String, String> env = System.getenv();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(
                execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /** Runs the command line and returns the exit code: 0 success, 1 failure, 2 bad usage. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        GuildhallCli cli = new GuildhallCli();
        cli.env = env;
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("guildhall: " + CliErrors.oneLine(e));
            commandLine.getErr().flush();
            return 1;
        });
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Path dataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        String fromEnv = env.get("GUILDHALL_DATA_DIR");
        return Path.of(fromEnv == null || fromEnv.isBlank() ? "data" : fromEnv);
    }

    /** The store's database: $GUILDHALL_DB_URL when set, else the embedded H2 database under the data directory. */
    JdbcSettings storeSettings() {
        return CliStore.settings(dataDir(), env);
    }

    /** Opens (and migrates) the store's database; the caller closes it. */
    JdbcDatabase openDatabase() {
        return CliStore.open(dataDir(), env);
    }

    /** The configuration file, or null when none is given and ./guildhall.yaml does not exist. */
    Path configFile() {
        if (config != null) {
            return config;
        }
        String fromEnv = env.get("GUILDHALL_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        Path local = Path.of("guildhall.yaml");
        return local.toFile().isFile() ? local : null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GuildhallCli.class.getPackage().getImplementationVersion();
            return new String[] {"guildhall " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
