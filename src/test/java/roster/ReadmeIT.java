package roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's commands as written, run from the checkout with the launcher a user runs (bin/roster, on the jar
 * this build made): the server command at its top, and every line of "Try it". Runs after package (failsafe).
 */
class ReadmeIT {

    /** The shell commands of the first ```sh block after a heading (comments dropped). */
    static List<String> commands(String heading) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String after = heading == null ? readme : readme.substring(readme.indexOf("\n" + heading + "\n"));
        String block = after.substring(after.indexOf("```sh\n") + 6);
        block = block.substring(0, block.indexOf("```"));
        return block.lines().map(l -> l.replaceFirst("\\s+#.*$", "").trim()).filter(l -> !l.isEmpty()).toList();
    }

    private static ProcessBuilder launch(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Arrays.asList(command.split(" +")));
        pb.environment().keySet().removeIf(k -> k.startsWith("ROSTER_"));
        pb.environment().put("ROSTER_PORT", "0"); // 8080 may be taken on a test machine
        pb.environment().put("ROSTER_LDAP_PORT", "0"); // and so may 3890
        return pb;
    }

    @Test
    void tryItWorksAsWritten() throws Exception {
        List<String> tryIt = commands("## Try it");
        assertThat(tryIt).containsExactly("bin/roster demo");
        try (ServeProcess demo = ServeProcess.start(launch(tryIt.get(0)), Files.createTempFile("roster-readme-demo", ".log"))) {
            DemoTest.everyCommandWorks(DemoTest.read(demo.stdout()));
        }
    }

    @Test
    void serveAsTheReadmeStartsIt() throws Exception {
        String serve = commands(null).get(0);
        assertThat(serve).isEqualTo("bin/roster serve");
        Path data = Files.createTempDirectory("roster-readme");
        ProcessBuilder pb = launch(serve);
        pb.environment().put("ROSTER_DATA", data.toString());
        pb.environment().put("ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        try (ServeProcess server = ServeProcess.start(pb, data.resolve("serve.log"))) {
            assertThat(server.client.send(HttpRequest.newBuilder(URI.create(server.url + "/readyz")).build()).statusCode()).isEqualTo(200);
            assertThat(server.client.send(HttpRequest.newBuilder(URI.create(server.url + "/docs")).build()).statusCode()).isEqualTo(200);
        }
    }
}
