package roster.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import roster.core.FrontEnd;

/**
 * The API described: an OpenAPI 3.1 document at /openapi.json and a readable page at /docs (Swagger UI, from its
 * webjar: nothing is fetched from the internet). Each front end owns its part of the document, a YAML file at
 * openapi/NAME.yaml on the classpath beside its code; this front end merges them, so a new front end documents
 * itself without touching anything here. ApiDocsTest holds the document against the routes the server really has.
 */
public final class ApiDocs implements FrontEnd.Started {

    /** The Swagger UI webjar's version: its files live under META-INF/resources/webjars/swagger-ui/VERSION/. */
    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.30.3/";
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript", "css", "text/css", "png", "image/png",
            "html", "text/html; charset=utf-8", "map", "application/json");

    private final List<String> frontEnds;
    private final String version;
    /** Merged at the first request rather than at start: reading the YAML is a fifth of a start's work. */
    private volatile byte[] document;

    private ApiDocs(List<String> frontEnds, String version) {
        this.frontEnds = frontEnds;
        this.version = version;
    }

    private byte[] document() {
        byte[] merged = document;
        if (merged == null) {
            synchronized (this) {
                if (document == null) document = json(document(frontEnds, version));
                merged = document;
            }
        }
        return merged;
    }

    /** The docs front end over the front ends listed (their names name their parts of the document). */
    public static FrontEnd frontEnd(List<FrontEnd> frontEnds, String version) {
        List<String> names = new ArrayList<>(List.of("server"));
        frontEnds.forEach(f -> names.add(f.name()));
        return new FrontEnd("docs", Set.of(), null, services -> new ApiDocs(names, version));
    }

    @Override
    public void register(Javalin http) {
        http.get("/openapi.json", ctx -> ctx.contentType("application/json").result(document()));
        http.get("/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(PAGE));
        http.get("/docs/assets/{file}", this::asset);
    }

    @Override
    public List<String> paths() {
        return List.of("/docs");
    }

    @Override
    public void answer(Exception e, Context ctx) {
        ctx.status(404).contentType("text/plain").result("not found");
    }

    /** The merged document: every front end's paths and components, under one info block. */
    static ObjectNode document(List<String> parts, String version) {
        ObjectMapper yaml = new YAMLMapper();
        ObjectNode doc = yaml.createObjectNode().put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Roster").put("version", version)
                .put("description", "A self-hosted user directory: the admin API, the vendor dialects (feishu, authing, "
                        + "enos, bizapi) and the standard front ends, served on one port. Each dialect answers in its vendor's own "
                        + "envelope and codes.");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode components = doc.putObject("components");
        for (String part : parts) {
            try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream("openapi/" + part + ".yaml")) {
                if (in == null) continue; // a front end without HTTP routes has no part
                JsonNode fragment = yaml.readTree(in);
                mergeInto(paths, fragment.path("paths"), part);
                for (Iterator<Map.Entry<String, JsonNode>> it = fragment.path("components").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> section = it.next();
                    ObjectNode into = components.has(section.getKey()) ? (ObjectNode) components.get(section.getKey()) : components.putObject(section.getKey());
                    mergeInto(into, section.getValue(), part);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("openapi/" + part + ".yaml", e);
            }
        }
        return doc;
    }

    /** Two parts naming the same path or component would silently overwrite each other: refuse at start. */
    private static void mergeInto(ObjectNode into, JsonNode from, String part) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (into.has(e.getKey())) throw new IllegalStateException("openapi/" + part + ".yaml: " + e.getKey() + " is described twice");
            into.set(e.getKey(), e.getValue());
        }
    }

    private void asset(Context ctx) {
        String file = ctx.pathParam("file");
        if (!file.matches("[A-Za-z0-9._-]+") || file.startsWith(".")) throw new io.javalin.http.NotFoundResponse();
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(SWAGGER_UI + file)) {
            if (in == null) throw new io.javalin.http.NotFoundResponse();
            String extension = file.substring(file.lastIndexOf('.') + 1);
            ctx.header("Cache-Control", "public, max-age=86400").contentType(TYPES.getOrDefault(extension, "application/octet-stream"))
                    .result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] json(JsonNode node) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Roster API</title>
              <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
            </head>
            <body>
              <div id="api"></div>
              <script src="/docs/assets/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#api", deepLinking: true});
              </script>
            </body>
            </html>
            """;
}
