package roster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A `roster serve` running as its own OS process (see CliTest.start), for tests of several processes on one
 * database and of crashes. Its stderr (the log) is kept in a file of the data folder for failure reports.
 */
public final class ServeProcess implements AutoCloseable {

    public final Process process;
    public final String url;
    public final TestServer.Client client;
    private BufferedReader stdout;

    private ServeProcess(Process process, String url) {
        this.process = process;
        this.url = url;
        this.client = new TestServer.Client(url);
    }

    /** Starts `serve` on the database (extra flags, e.g. another --db, come last and win) and waits for its ready line. */
    public static ServeProcess start(TestServer.Database db, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(List.of(extraArgs));
        return ready(CliTest.start(db, args, db.dataDir().resolve("serve-" + System.nanoTime() + ".log")));
    }

    /** Starts a command of one's own (bin/roster, a release archive's launcher) and waits for its ready line. */
    public static ServeProcess start(ProcessBuilder command, Path stderrLog) throws IOException {
        return ready(command.redirectError(stderrLog.toFile()).start());
    }

    /** A process already started, once it printed its ready line. */
    public static ServeProcess of(Process p) throws IOException {
        return ready(p);
    }

    private static ServeProcess ready(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("Roster listening on ")) {
            p.destroyForcibly();
            throw new IllegalStateException("serve did not start: " + ready);
        }
        ServeProcess started = new ServeProcess(p, ready.substring("Roster listening on ".length()).trim());
        started.stdout = out;
        return started;
    }

    /** Its standard output after the ready line (e.g. the lines `demo` prints). */
    public BufferedReader stdout() {
        return stdout;
    }

    /** SIGKILL: no shutdown hook, no graceful stop; whatever was in flight is cut off. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }
}
