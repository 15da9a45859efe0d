package roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `roster demo` as a new user meets it: a real process on a throwaway database, and every line it prints run as
 * printed by bash and curl, each answering with the demo directory. Always the embedded database: the demo
 * never touches a configured one.
 */
class DemoTest {

    /** What each printed command must answer (a title's first word, then a fragment of its JSON answer). */
    static final Map<String, String> EXPECTED = Map.of(
            "admin", "nw-0008",
            "feishu", "\"code\":0",
            "authing", "\"totalCount\":8",
            "enos", "\"code\":0",
            "bizapi", "\"status\":\"success\"");

    /** What `demo` printed after its ready line: the lines, and the command under each "# title". */
    record Printed(List<String> lines, Map<String, String> commands) {
        Path folder() {
            return Path.of(lines.stream().filter(l -> l.startsWith("Demo tenant")).findFirst().orElseThrow()
                    .replaceFirst(".* database in (\\S+).*", "$1"));
        }
    }

    static Printed read(BufferedReader out) throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, String> commands = new LinkedHashMap<>();
        String title = null;
        for (String line; (line = out.readLine()) != null && !line.startsWith("Ctrl-C"); ) {
            lines.add(line);
            if (line.startsWith("# ")) title = line.substring(2).split("[ :]")[0];
            else if (title != null && !line.isBlank()) commands.put(title, line);
        }
        return new Printed(lines, commands);
    }

    /** Runs every printed command and checks its answer. */
    static void everyCommandWorks(Printed printed) throws Exception {
        assertThat(printed.commands().keySet()).as(String.join("\n", printed.lines())).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        for (var command : printed.commands().entrySet()) {
            String answer = bash(command.getValue());
            assertThat(answer).as(command.getKey() + ": " + command.getValue()).contains(EXPECTED.get(command.getKey()));
            JsonNode json = DemoApps.JSON.readTree(answer);
            assertThat(json.isObject()).isTrue();
        }
    }

    @Test
    void everyPrintedLineWorksAsPrinted() throws Exception {
        Process demo = CliTest.start(null, List.of("demo"), Files.createTempFile("roster-demo", ".log"));
        try (ServeProcess server = ServeProcess.of(demo)) {
            Printed printed = read(server.stdout());
            Path folder = printed.folder();
            assertThat(folder).isDirectory();
            everyCommandWorks(printed);
            assertThat(bash(printed.commands().get("feishu"))).contains("100001").doesNotContain("100005"); // suspended: no door access

            demo.destroy(); // SIGTERM, as Ctrl-C
            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(demo.exitValue()).isZero();
            assertThat(folder).doesNotExist();
        }
    }

    /** Runs one line as a person pasting it would: bash, with curl. */
    static String bash(String line) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(line + "\n" + out).isZero();
        return out;
    }
}
