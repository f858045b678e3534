package dev.rowcast.impl.talk.redis;

/**
 * Text as Redis gets it: printable ASCII as it is, every other character and the backslash as {@code \}{@code uXXXX}.
 * Lettuce encodes strings as UTF-8, which turns a lone surrogate into {@code ?}; escaped, a name or a group value with
 * one comes back as it was, and names every instance agrees on.
 */
final class Ascii {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ascii() {
    }

    static String encode(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '\\';
            if (!plain && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (plain) {
                    out.append(c);
                } else {
                    out.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15])
                            .append(HEX[c & 15]);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** The inverse of {@link #encode}; text from elsewhere with a broken escape fails. */
    static String decode(String text) {
        int at = text.indexOf('\\');
        if (at < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, at);
        for (int i = at; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 6 > text.length() || text.charAt(i + 1) != 'u') {
                    throw new IllegalArgumentException("not an escape at " + i);
                }
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
