package roster.console;

import static roster.console.Console.BASE;
import static roster.console.Console.redirect;
import static roster.console.Console.url;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roster.crypto.Keys;
import roster.directory.Directory;
import roster.fixture.FixtureReader;
import roster.fixture.FixtureWriter;
import roster.model.Failure;
import roster.core.LoadLog;

/**
 * A tenant exported as a download (the fixture {@code bin/roster export --tenant} writes, streamed, without
 * secrets), and a fixture loaded from an uploaded file with a progress bar. A load is what {@code bin/roster load}
 * does (one transaction: all or nothing, the first bad value named by its JSON path); it runs on a thread of its
 * own, one at a time, on the process that took the upload (the file stays there), while the page polls its
 * progress (htmx, every half second). Progress and outcome are kept in the database (console_loads), so whichever
 * process of the service the poll reaches answers it.
 */
final class FixturePages {

    private static final Logger LOG = LoggerFactory.getLogger(FixturePages.class);
    /** How often the loading process writes a load's row: its progress, and the sign that it is still alive. */
    private static final long REPORT_EVERY_MILLIS = 500;
    /** Finished (or abandoned) loads are forgotten this long after their last update, when a new one starts. */
    private static final long KEEP_MILLIS = 24 * 3600 * 1000L;

    private final Console console;
    private final LoadLog log;
    /** One load at a time; both threads end when idle, so a stopped server leaves none behind. */
    private final ThreadPoolExecutor loader = idle(new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("console-load")));
    private final ScheduledThreadPoolExecutor reporter = idle(new ScheduledThreadPoolExecutor(1, daemon("console-load-progress")));
    /** The loads this process holds (queued or running), by id, with how far each is. */
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    FixturePages(Console console) {
        this.console = console;
        this.log = new LoadLog(console.services.database());
        reporter.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static <T extends ThreadPoolExecutor> T idle(T pool) {
        pool.setKeepAliveTime(5, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** How far one load is, written by the loading thread, read by the reporter and this process's pages. */
    private static final class Live {
        volatile long read;
        volatile long users;
        volatile ScheduledFuture<?> beat;
    }

    void register(Javalin app, String tenant) {
        Console.page(app, tenant + "/export", this::export);
        Console.page(app, BASE + "/load", ctx -> page(ctx, 200, null, null, Map.of()));
        app.post(BASE + "/load", this::upload);
        Console.page(app, BASE + "/load/{id}", ctx -> page(ctx, 200, ctx.pathParam("id"), load(ctx), Map.of()));
        Console.page(app, BASE + "/load/{id}/progress", ctx -> console.render(ctx, 200, "progress.jte",
                new Pages.Fixtures(console.frame(ctx, "load.title", null), ctx.pathParam("id"), load(ctx), Map.of())));
    }

    private void page(Context ctx, int status, String id, Load load, Map<String, String> errors) {
        console.render(ctx, status, "load.jte", new Pages.Fixtures(console.frame(ctx, "load.title", null), id, load, errors));
    }

    /** The load as its row says, from whichever process; this process's own running load is never taken as stopped. */
    private Load load(Context ctx) {
        String id = ctx.pathParam("id");
        var row = log.find(id).orElseThrow(() -> new Failure.NotFound(Failure.Subject.ENDPOINT, "load " + id));
        Live here = live.get(id);
        return new Load(row, System.currentTimeMillis(), here == null ? null : new long[] {here.read, here.users});
    }

    /**
     * Writes a held load's progress to its row (twice a second, not per user), which also says it is alive. Not
     * on SQLite: it has one writer, which the load's transaction holds until the end; a SQLite database is served
     * by one process, which knows its own loads are alive.
     */
    private void report(String id, Live progress) {
        if (!log.writableWhileLoading()) return;
        try {
            log.progress(id, System.currentTimeMillis(), progress.read, progress.users);
        } catch (RuntimeException failure) {
            // the next round tries again; a row left without updates for long reads as a stopped load
            LOG.warn("could not record a console load's progress: {}", failure.getClass().getName());
        }
    }

    /** The tenant's fixture, streamed as it is read (one consistent snapshot), without secrets or password hashes. */
    private void export(Context ctx) {
        String tenant = console.tenant(ctx);
        ctx.contentType("application/json; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + tenant.replaceAll("[^A-Za-z0-9._-]", "_") + ".json\"");
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) return;
        try (OutputStream out = ctx.outputStream()) {
            new FixtureWriter(console.services.directory(), console.services.database()).write(out, tenant, false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Keeps the upload in a private temporary file (the request's own is gone when it ends) and queues its load. */
    private void upload(Context ctx) {
        Path file;
        long size;
        try {
            var part = ctx.uploadedFile("fixture");
            if (part == null || part.size() == 0) {
                page(ctx, 400, null, null, Map.of("fixture", console.text(ctx).get("load.choose")));
                return;
            }
            file = Files.createTempFile("roster-console-load-", ".json"); // owner-only on POSIX
            try (InputStream in = part.content()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            size = Files.size(file);
        } catch (IOException | RuntimeException e) {
            if (e instanceof Failure f) throw f;
            throw new Failure.InvalidInput("fixture", "err.fixture.multipart");
        }
        String id = Keys.randomToken(16); // the page's address: 128 random bits, not guessable
        long now = System.currentTimeMillis();
        String tenant = firstTenant(file);
        try {
            log.start(id, tenant, now, size, now - KEEP_MILLIS);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        Live progress = new Live();
        live.put(id, progress);
        progress.beat = reporter.scheduleWithFixedDelay(() -> report(id, progress), REPORT_EVERY_MILLIS, REPORT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        Directory directory = console.directory(ctx);
        loader.submit(() -> run(directory, file, id, progress));
        redirect(ctx, BASE + "/load/" + url(id));
    }

    private void run(Directory directory, Path file, String id, Live progress) {
        try (InputStream in = new Counting(Files.newInputStream(file), progress)) {
            var summary = new FixtureReader(directory, n -> progress.users = n).load(in);
            long read = progress.read, users = progress.users;
            finish(() -> log.done(id, System.currentTimeMillis(), read, users, summary.created, summary.updated, summary.deleted, summary.unchanged));
        } catch (Failure.InvalidInput e) {
            failed(id, e.path(), e.reason());
        } catch (Failure.Conflict e) {
            failed(id, e.path(), e.reason());
        } catch (Failure e) {
            failed(id, null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("console load failed: {}", e.getClass().getName());
            failed(id, null, "internal error");
        } finally {
            // after the outcome is written: until then this process vouches that the load is alive
            progress.beat.cancel(false);
            live.remove(id);
            deleteQuietly(file);
        }
    }

    private void failed(String id, String path, String reason) {
        finish(() -> log.failed(id, System.currentTimeMillis(), path, reason));
    }

    private void finish(Runnable outcome) {
        try {
            outcome.run();
        } catch (RuntimeException e) {
            // the row stays "running" without updates, and so reads as a stopped load soon
            LOG.warn("could not record a console load's outcome: {}", e.getClass().getName());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete a console load's temporary file {}", file);
        }
    }

    /**
     * The id of the fixture's first tenant, for the load's row: the format puts a tenant's id before its lists,
     * so this reads only the file's first tokens. Null when it is not there (the load then names the fault).
     */
    private static String firstTenant(Path file) {
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (!"tenants".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_OBJECT) return null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.getCurrentName();
                    JsonToken v = p.nextToken();
                    if ("id".equals(key)) return v == JsonToken.VALUE_STRING ? p.getText() : null;
                    if (v.isStructStart()) return null; // lists come after the id
                }
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the load itself says where
        }
        return null;
    }

    /** Tells the load how far into the file the reader is. */
    private static final class Counting extends FilterInputStream {
        private final Live load;
        private long read;

        Counting(InputStream in, Live load) {
            super(in);
            this.load = load;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) load.read = ++read;
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) load.read = read += n;
            return n;
        }
    }
}
