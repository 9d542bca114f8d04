package kubefake.certs;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to read and write the key and name structures of a PKI directory without loading
 * Bouncy Castle: a restart then only touches JDK classes. (Certificates are still built with
 * Bouncy Castle, see {@link CertificateBuilder}.) Tags are single bytes, which covers all of them here.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xA0;
    static final int CONTEXT_1 = 0xA1;

    /** DER encodings of the object identifiers the PKI needs. */
    static final byte[] OID_EC_PUBLIC_KEY = {OID, 7, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    static final byte[] OID_RSA_ENCRYPTION = {OID, 9, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    static final byte[] OID_ED25519 = {OID, 3, 0x2B, 0x65, 0x70};
    static final byte[] OID_COMMON_NAME = {OID, 3, 0x55, 0x04, 0x03};
    static final byte[] OID_ORGANIZATION = {OID, 3, 0x55, 0x04, 0x0A};

    private Der() {
    }

    /** One type-length-value element inside {@code data}. */
    record Element(int tag, byte[] data, int start, int valueStart, int end) {
        byte[] value() {
            return Arrays.copyOfRange(data, valueStart, end);
        }

        byte[] encoded() {
            return Arrays.copyOfRange(data, start, end);
        }

        /** The elements of a constructed value (SEQUENCE, SET, explicit tag). */
        List<Element> children() {
            List<Element> children = new ArrayList<>();
            int offset = valueStart;
            while (offset < end) {
                Element child = read(data, offset, end);
                children.add(child);
                offset = child.end();
            }
            return children;
        }

        Element child(int index) {
            List<Element> children = children();
            if (index >= children.size()) {
                throw new IllegalArgumentException("DER structure has " + children.size() + " elements, expected more");
            }
            return children.get(index);
        }
    }

    static Element read(byte[] data) {
        Element element = read(data, 0, data.length);
        if (element.end() != data.length) {
            throw new IllegalArgumentException("trailing bytes after DER structure");
        }
        return element;
    }

    private static Element read(byte[] data, int offset, int limit) {
        if (offset + 2 > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = data[offset] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("multi-byte DER tags are not supported");
        }
        int first = data[offset + 1] & 0xFF;
        int length;
        int valueStart;
        if (first < 0x80) {
            length = first;
            valueStart = offset + 2;
        } else {
            int bytes = first & 0x7F;
            if (bytes == 0 || bytes > 3 || offset + 2 + bytes > limit) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (data[offset + 2 + i] & 0xFF);
            }
            valueStart = offset + 2 + bytes;
        }
        if (valueStart + length > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new Element(tag, data, offset, valueStart, valueStart + length);
    }

    /** Encodes {@code tag} around the concatenated {@code contents}. */
    static byte[] encode(int tag, byte[]... contents) {
        var value = new ByteArrayOutputStream();
        for (byte[] content : contents) {
            value.writeBytes(content);
        }
        int length = value.size();
        var out = new ByteArrayOutputStream(length + 5);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    static byte[] integer(int value) {
        return encode(INTEGER, new byte[] {(byte) value});
    }
}
