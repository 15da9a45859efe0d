package roster.console;

import io.javalin.http.Context;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The console's words in the reader's language: English or Simplified Chinese, from the bundle
 * console/messages*.properties. Chosen by the language cookie (set by the switch on every page), else by
 * Accept-Language, else English.
 */
public final class Text {

    static final String COOKIE = "roster_console_lang";
    static final List<String> LANGUAGES = List.of("en", "zh-CN");
    private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private static final Text ENGLISH = new Text("en");
    private static final Text CHINESE = new Text("zh-CN");

    private final String lang;
    private final ResourceBundle bundle;
    private final Locale locale;

    private Text(String lang) {
        this.lang = lang;
        this.locale = Locale.forLanguageTag(lang);
        // no fallback to the JVM's default locale: English is the base bundle
        this.bundle = ResourceBundle.getBundle("console.messages", locale, NO_FALLBACK);
    }

    static Text of(String lang) {
        return "zh-CN".equals(lang) ? CHINESE : ENGLISH;
    }

    /** The reader's language: the cookie's choice, else the best of Accept-Language, else English. */
    static Text of(Context ctx) {
        String chosen = ctx.cookie(COOKIE);
        if (chosen != null && LANGUAGES.contains(chosen)) return of(chosen);
        String accept = ctx.header("Accept-Language");
        if (accept == null) return ENGLISH;
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(accept)) {
                String tag = range.getRange().toLowerCase(Locale.ROOT);
                if (tag.equals("en") || tag.startsWith("en-")) return ENGLISH;
                if (tag.equals("zh") || tag.startsWith("zh-")) return CHINESE;
            }
        } catch (IllegalArgumentException e) {
            return ENGLISH; // a malformed header is ignored, as a browser's odd one should not break the page
        }
        return ENGLISH;
    }

    public String lang() {
        return lang;
    }

    public String get(String key) {
        return bundle.containsKey(key) ? bundle.getString(key) : key;
    }

    public String format(String key, Object... args) {
        return new MessageFormat(get(key), locale).format(args);
    }
}
