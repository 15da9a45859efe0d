package roster.console;

import static roster.console.Console.BASE;
import static roster.console.Console.redirect;
import static roster.console.Console.url;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roster.crypto.Keys;
import roster.directory.Directory;
import roster.fixture.FixtureReader;
import roster.fixture.FixtureWriter;
import roster.model.Failure;

/**
 * A tenant exported as a download (the fixture {@code bin/roster export --tenant} writes, streamed, without
 * secrets), and a fixture loaded from an uploaded file with a progress bar. A load is what {@code bin/roster load}
 * does (one transaction: all or nothing, the first bad value named by its JSON path); it runs on a thread of its
 * own, one at a time, while the page polls its progress (htmx, every half second).
 */
final class FixturePages {

    private static final Logger LOG = LoggerFactory.getLogger(FixturePages.class);
    /** Loads this process ran or runs, by id; the oldest forgotten beyond this many. */
    private static final int KEEP = 20;

    private final Console console;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-load");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Load> loads = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Load> eldest) {
            return size() > KEEP;
        }
    });

    FixturePages(Console console) {
        this.console = console;
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

    private Load load(Context ctx) {
        Load load = loads.get(ctx.pathParam("id"));
        if (load == null) throw new Failure.NotFound(Failure.Subject.ENDPOINT, "load " + ctx.pathParam("id"));
        return load;
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
        String id = Keys.randomToken(12);
        Load load = new Load(size);
        loads.put(id, load);
        Directory directory = console.directory(ctx);
        loader.submit(() -> run(directory, file, load));
        redirect(ctx, BASE + "/load/" + url(id));
    }

    private static void run(Directory directory, Path file, Load load) {
        load.running();
        try (InputStream in = new Counting(Files.newInputStream(file), load)) {
            var summary = new FixtureReader(directory, load::users).load(in);
            load.done(summary.created, summary.updated, summary.deleted, summary.unchanged);
        } catch (Failure.InvalidInput e) {
            load.failed(e.path(), e.reason());
        } catch (Failure.Conflict e) {
            load.failed(e.path(), e.reason());
        } catch (Failure e) {
            load.failed(null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("console load failed: {}", e.getClass().getName());
            load.failed(null, "internal error");
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete a console load's temporary file {}", file);
            }
        }
    }

    /** Tells the load how far into the file the reader is. */
    private static final class Counting extends FilterInputStream {
        private final Load load;
        private long read;

        Counting(InputStream in, Load load) {
            super(in);
            this.load = load;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) load.read(++read);
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) load.read(read += n);
            return n;
        }
    }
}
