package dev.guildhall.server;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Guildhall server. {@code bin/guildhall server [--port N] [--data-dir DIR]} starts it; any
 * other argument is passed to Spring Boot as it is ({@code --server.address=...}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GuildhallServer {
    public static void main(String[] args) {
        SpringApplication.run(GuildhallServer.class, springArguments(args));
    }

    /** Translates the launcher's options into Spring properties; everything else passes through. */
    static String[] springArguments(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--port") || a.equals("--data-dir")) && i + 1 < args.length) {
                out.add(translate(a, args[++i]));
            } else if (a.startsWith("--port=")) {
                out.add(translate("--port", a.substring("--port=".length())));
            } else if (a.startsWith("--data-dir=")) {
                out.add(translate("--data-dir", a.substring("--data-dir=".length())));
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }

    private static String translate(String option, String value) {
        return option.equals("--port") ? "--server.port=" + value : "--guildhall.data-dir=" + value;
    }
}
