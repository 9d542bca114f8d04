package kubefake.store.registry.fieldvalidation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Go's {@code base64.StdEncoding}, which decodes the {@code []byte} fields of JSON ({@code Secret.data},
 * {@code ConfigMap.binaryData}): padding required, {@code \r} and {@code \n} skipped, non-zero trailing bits
 * accepted. A failure is Go's {@code CorruptInputError}, {@code illegal base64 data at input byte N}, N counting
 * the bytes of the UTF-8 text.
 */
final class GoBase64 {

    private static final byte[] DECODE = new byte[256];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    /** What decoding gave: the bytes, or the offset of the first bad input byte. */
    record Decoded(byte[] bytes, int errorOffset) {
        boolean ok() {
            return errorOffset < 0;
        }

        String error() {
            return "illegal base64 data at input byte " + errorOffset;
        }
    }

    private GoBase64() {
    }

    static Decoded decode(String text) {
        byte[] src = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length / 4 * 3);
        int si = 0;
        while (si < src.length) {
            // one quantum, as encoding/base64's decodeQuantum
            int[] dbuf = new int[4];
            int dlen = 4;
            boolean end = false;
            for (int j = 0; j < 4; j++) {
                if (src.length == si) {
                    if (j == 0) {
                        return new Decoded(out.toByteArray(), -1);
                    }
                    return new Decoded(null, si - j);
                }
                int in = src[si] & 0xff;
                si++;
                int value = DECODE[in];
                if (value >= 0) {
                    dbuf[j] = value;
                    continue;
                }
                if (in == '\n' || in == '\r') {
                    j--;
                    continue;
                }
                if (in != '=') {
                    return new Decoded(null, si - 1);
                }
                // padding: the end of the data
                switch (j) {
                    case 0, 1 -> {
                        return new Decoded(null, si - 1);
                    }
                    case 2 -> {
                        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
                            si++;
                        }
                        if (si == src.length) {
                            return new Decoded(null, src.length);
                        }
                        if (src[si] != '=') {
                            return new Decoded(null, si - 1);
                        }
                        si++;
                    }
                    default -> {
                    }
                }
                while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
                    si++;
                }
                if (si < src.length) {
                    return new Decoded(null, si);
                }
                dlen = j;
                end = true;
                break;
            }
            int val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
            if (dlen >= 2) {
                out.write(val >> 16);
            }
            if (dlen >= 3) {
                out.write(val >> 8);
            }
            if (dlen == 4) {
                out.write(val);
            }
            if (end) {
                break;
            }
        }
        return new Decoded(out.toByteArray(), -1);
    }

    /** The canonical text Go writes for the bytes. */
    static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
