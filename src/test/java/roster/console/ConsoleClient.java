package roster.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import roster.TestServer;

/** A person at the console over raw HTTP: keeps the session cookie and the CSRF token of the last page, follows nothing. */
final class ConsoleClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    final String baseUrl;
    String session;
    String csrf;

    ConsoleClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Signs in as name with the admin token and keeps the session. */
    static ConsoleClient signedIn(TestServer server, String name) {
        ConsoleClient c = new ConsoleClient(server.baseUrl);
        HttpResponse<String> answer = c.signIn(name, TestServer.ADMIN_TOKEN, Map.of());
        if (answer.statusCode() != 303) throw new AssertionError("sign-in refused: " + answer.statusCode() + " " + answer.body());
        c.get("/console/tenants");
        return c;
    }

    HttpResponse<String> signIn(String name, String token, Map<String, String> headers) {
        HttpResponse<String> form = get("/console/sign-in");
        String nonce = cookie(form, Console.SIGN_IN_COOKIE);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("csrf", csrfOf(form.body()));
        fields.put("name", name);
        fields.put("token", token);
        HttpRequest.Builder request = request("/console/sign-in").header("Cookie", Console.SIGN_IN_COOKIE + "=" + nonce)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(encode(fields)));
        headers.forEach(request::header);
        HttpResponse<String> answer = send(request.build());
        String cookie = cookie(answer, Console.COOKIE);
        if (cookie != null && !cookie.isEmpty()) session = cookie;
        return answer;
    }

    HttpResponse<String> get(String path) {
        HttpResponse<String> answer = send(withSession(request(path)).GET().build());
        String token = csrfOf(answer.body());
        if (token != null && session != null) csrf = token;
        return answer;
    }

    HttpResponse<String> head(String path) {
        return send(withSession(request(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A form POST carrying the session's CSRF token. */
    HttpResponse<String> post(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("csrf", csrf);
        return postRaw(path, encode(all), "application/x-www-form-urlencoded");
    }

    HttpResponse<String> postRaw(String path, String body, String contentType) {
        HttpResponse<String> answer = send(withSession(request(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        String token = csrfOf(answer.body());
        if (token != null && session != null) csrf = token;
        return answer;
    }

    /** A multipart POST of one file (and the session's CSRF token), as a browser sends a file input. */
    HttpResponse<String> postFile(String path, String field, String filename, byte[] content) {
        String boundary = "----roster" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(withSession(request(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    /** A GET with extra headers (Accept-Language, a cookie of its own). */
    HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = request(path);
        headers.forEach(request::header);
        return send(request.GET().build());
    }

    HttpResponse<byte[]> download(String path) {
        try {
            return HTTP.send(withSession(request(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path));
    }

    private HttpRequest.Builder withSession(HttpRequest.Builder request) {
        return session == null ? request : request.header("Cookie", Console.COOKIE + "=" + session);
    }

    /** The fields of the page's first POST form with a version (the user form), as the browser would send them. */
    static Map<String, String> formOf(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher inputs = Pattern.compile("<input id=\"f-([a-z_]+)\" name=\"([a-z_]+)\" type=\"[a-z]+\" value=\"([^\"]*)\"").matcher(html);
        while (inputs.find()) fields.put(inputs.group(2), unescape(inputs.group(3)));
        Matcher version = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(html);
        if (version.find()) fields.put("version", version.group(1));
        // a picker's chosen ids are checked boxes, one value each: joined here as the server splits them
        for (String picker : new String[] {"departments", "groups"}) {
            Matcher chosen = Pattern.compile("<input type=\"checkbox\" name=\"" + picker + "\" value=\"([^\"]*)\" checked>").matcher(html);
            StringBuilder ids = new StringBuilder();
            while (chosen.find()) ids.append(ids.length() == 0 ? "" : " ").append(unescape(chosen.group(1)));
            fields.put(picker, ids.toString());
        }
        Matcher custom = Pattern.compile("name=\"custom_data\"[^>]*>([^<]*)</textarea>").matcher(html);
        if (custom.find()) fields.put("custom_data", unescape(custom.group(1)));
        Matcher status = Pattern.compile("<option value=\"([a-z]+)\" selected>").matcher(html);
        if (status.find()) fields.put("status", status.group(1));
        return fields;
    }

    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", "\"").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html == null ? "" : html);
        return m.find() ? m.group(1) : null;
    }

    /** The value a Set-Cookie header of the answer gives the cookie, or null. */
    static String cookie(HttpResponse<?> answer, String name) {
        for (String header : answer.headers().allValues("Set-Cookie")) {
            if (header.startsWith(name + "=")) return header.substring(name.length() + 1).split(";", 2)[0];
        }
        return null;
    }

    static String setCookieHeader(HttpResponse<?> answer, String name) {
        return answer.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(name + "=")).findFirst().orElse(null);
    }

    static String encode(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v == null) return;
            if (b.length() > 0) b.append('&');
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
