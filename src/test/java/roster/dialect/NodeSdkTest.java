package roster.dialect;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import roster.DemoApps;
import roster.TestServer;

/**
 * The vendors' official Node.js SDKs judge wire compatibility too: @larksuiteoapi/node-sdk 1.74.0 and
 * authing-node-sdk 4.0.1, pinned in src/test/node/package-lock.json. This runs that node:test suite against a
 * real Roster with demo.json (the URL, admin token and apps in ROSTER_* variables) and fails with its output.
 */
class NodeSdkTest {

    private static final Path PROJECT = Path.of("src", "test", "node");
    /** Written into node_modules after npm ci: the hash of the lock it installed. */
    private static final Path INSTALLED = PROJECT.resolve("node_modules").resolve(".roster-lock.sha256");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void officialNodeSdksPass() throws Exception {
        assumeTrue(onPath("node"), "node is not on the PATH, so the Node SDK tests are skipped (.ci/run installs nodejs and npm)");
        install();
        try (TestServer server = TestServer.start()) {
            server.loadDemo();
            Map<String, String> env = Map.of(
                    "ROSTER_BASE_URL", server.baseUrl,
                    "ROSTER_TENANT", "acme",
                    "ROSTER_ADMIN_TOKEN", TestServer.ADMIN_TOKEN,
                    "ROSTER_FEISHU_APP_ID", DemoApps.FEISHU_APP,
                    "ROSTER_FEISHU_APP_SECRET", DemoApps.FEISHU_SECRET,
                    "ROSTER_FEISHU_NARROW_APP_ID", "cli_demo_feishu_eng",
                    "ROSTER_FEISHU_NARROW_APP_SECRET", "feishu-demo-secret-0002",
                    "ROSTER_AUTHING_KEY_ID", DemoApps.AUTHING_APP,
                    "ROSTER_AUTHING_KEY_SECRET", DemoApps.AUTHING_SECRET);
            Run tests = run(List.of("node", "--test", "--test-reporter=spec"), env, RUN_TIMEOUT);
            if (tests.exitCode != 0) fail("node --test (" + tests.describe() + ") against " + server.baseUrl + ":\n" + tests.output);
        }
    }

    /** npm ci, only when node_modules is missing or was installed from another package-lock.json. */
    private static void install() throws Exception {
        String lock = sha256(Files.readAllBytes(PROJECT.resolve("package-lock.json")));
        if (Files.isRegularFile(INSTALLED) && Files.readString(INSTALLED).equals(lock)) return;
        if (!onPath("npm")) fail("npm is not on the PATH, and src/test/node/node_modules needs installing (npm ci)");
        Run npm = run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), Map.of(), INSTALL_TIMEOUT);
        if (npm.exitCode != 0) fail("npm ci in " + PROJECT + " (" + npm.describe() + "):\n" + npm.output);
        Files.writeString(INSTALLED, lock);
    }

    private record Run(int exitCode, boolean timedOut, String output) {
        String describe() {
            return timedOut ? "killed: no end within its time limit" : "exit status " + exitCode;
        }
    }

    /** Runs a command in src/test/node, echoing its output as it comes and keeping it; kills it and its children when late. */
    private static Run run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println(line);
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("(reading the output failed: ").append(e).append(")\n");
            }
        }, "node-output");
        reader.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            // node --test runs each file in a child process of its own
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Run(finished ? process.exitValue() : -1, !finished, output.toString());
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
