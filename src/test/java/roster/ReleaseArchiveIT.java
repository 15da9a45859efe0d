package roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The release archive `mvn -B package` makes (target/roster-VERSION.tar.gz), unpacked into an empty folder and run
 * with a PATH that holds a Java runtime and a shell and nothing else: no Maven, no source beside it.
 * Runs after package (failsafe), on the archive that build made.
 */
class ReleaseArchiveIT {

    @Test
    void runsWithAJavaRuntimeAlone() throws Exception {
        Path archive;
        try (var found = Files.list(Path.of("target"))) {
            archive = found.filter(p -> p.getFileName().toString().matches("roster-.*\\.tar\\.gz")).findFirst().orElseThrow();
        }
        Path dir = Files.createTempDirectory("roster-release");
        assertThat(run(dir, List.of("tar", "xzf", archive.toAbsolutePath().toString()), null)).isEmpty();
        Path home;
        try (var unpacked = Files.list(dir)) {
            home = unpacked.findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).isEqualTo(archive.getFileName().toString().replace(".tar.gz", ""));
        for (String file : List.of("roster.jar", "bin/roster", "README.md", "roster.service", "roster.env")) assertThat(home.resolve(file)).exists();
        assertThat(Files.isExecutable(home.resolve("bin/roster"))).isTrue();
        try (var libs = Files.list(home.resolve("lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("javalin-")).anyMatch(n -> n.startsWith("sqlite-jdbc-"));
        }

        // the only programs on the PATH: java, and what the launcher's shell needs
        Path tools = Files.createDirectory(dir.resolve("tools"));
        Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String tool : List.of("bash", "dirname", "env")) Files.createSymbolicLink(tools.resolve(tool), which(tool));
        Path work = Files.createDirectory(dir.resolve("work"));

        String version = run(work, List.of(home.resolve("bin/roster").toString(), "version"), tools.toString());
        assertThat(version.trim()).matches("roster \\d+\\.\\d+\\.\\d+ \\(commit [0-9a-f]{7,}\\)");

        ProcessBuilder serve = new ProcessBuilder(home.resolve("bin/roster").toString(), "serve").directory(work.toFile());
        serve.environment().keySet().removeIf(k -> k.startsWith("ROSTER_"));
        serve.environment().put("PATH", tools.toString());
        serve.environment().put("ROSTER_PORT", "0");
        serve.environment().put("ROSTER_LDAP_PORT", "0");
        serve.environment().put("ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        try (ServeProcess server = ServeProcess.start(serve, dir.resolve("serve.log"))) {
            assertThat(server.client.send(HttpRequest.newBuilder(URI.create(server.url + "/readyz")).build()).statusCode()).isEqualTo(200);
            assertThat(server.client.admin("GET", "/admin/v1/tenants", null).statusCode()).isEqualTo(200);
            assertThat(work.resolve("data/roster.db")).exists(); // ./data by default, in the folder it was started from
        }
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return candidate;
        }
        throw new AssertionError("not on the PATH: " + tool);
    }

    /** Runs a command to its end and returns its output; fails on a non-zero exit. */
    static String run(Path dir, List<String> command, String path) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        if (path != null) pb.environment().put("PATH", path);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
