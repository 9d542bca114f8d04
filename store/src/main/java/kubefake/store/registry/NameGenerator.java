package kubefake.store.registry;

import java.util.Random;

/**
 * apiserver's SimpleNameGenerator: five random characters from an alphabet without vowels and look-alike digits,
 * appended to generateName and to the names admission gives what it adds (the kube-api-access-xxxxx volume).
 */
public final class NameGenerator {
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int LENGTH = 5;

    private NameGenerator() {
    }

    /** {@code base} followed by five random characters. */
    public static String generate(String base, Random random) {
        StringBuilder sb = new StringBuilder(base.length() + LENGTH).append(base);
        for (int i = 0; i < LENGTH; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return sb.toString();
    }
}
