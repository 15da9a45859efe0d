package roster.model;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

/**
 * The rules that keep one person from passing for another: user ids, usernames and emails are stored in Unicode
 * NFC, may not hold invisible (default-ignorable), control or unpaired surrogate characters, and are unique by a
 * key that folds case, compatibility forms (full-width letters) and confusable characters (Cyrillic "а" for
 * Latin "a") together. ICU's {@link SpoofChecker} holds Unicode's confusables data (UTS #39).
 */
public final class Identifiers {

    /** The largest num: 2^53 − 1, the largest integer a JavaScript client reads exactly. */
    public static final long MAX_NUM = (1L << 53) - 1;

    private static final Normalizer2 NFC = Normalizer2.getNFCInstance();
    private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();
    private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().build();
    /** Highly restrictive: one script, or Latin with the CJK scripts (Han, kana, Hangul, Bopomofo). */
    private static final SpoofChecker SCRIPTS = new SpoofChecker.Builder()
            .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS)
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
            .build();

    private Identifiers() {}

    public static String nfc(String value) {
        return value == null ? null : NFC.normalize(value);
    }

    /**
     * An identifier given to look a user up, in the form it is stored in (NFC); null when it cannot be stored at
     * all (an unpaired surrogate: no user has it, and PostgreSQL would refuse the text).
     */
    public static String lookup(String value) {
        return value == null || hasUnpairedSurrogate(value) ? null : nfc(value);
    }

    /** The key two identifiers share when they look alike; uniqueness is checked on it. */
    public static String key(String value) {
        if (value == null) return null;
        return CONFUSABLES.getSkeleton(NFKC_CASEFOLD.normalize(value));
    }

    /** Why a value cannot be an identifier (an invisible, control or unpaired surrogate character), or null. */
    public static String flaw(String value) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) return "must not contain unpaired UTF-16 surrogates";
            if (UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT)) return "must not contain invisible characters";
            int type = UCharacter.getType(c);
            if (type == UCharacterCategory.CONTROL || type == UCharacterCategory.FORMAT
                    || type == UCharacterCategory.PRIVATE_USE || type == UCharacterCategory.UNASSIGNED) {
                return "must not contain control, format or unassigned characters";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /** Whether a value mixes scripts beyond what one writing system uses (Latin with Cyrillic, say). */
    public static boolean mixesScripts(String value) {
        return SCRIPTS.failsChecks(value);
    }

    /** Whether a text holds a UTF-16 surrogate without its pair (it cannot be written as UTF-8). */
    public static boolean hasUnpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) i++;
                else return true;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
