package org.pimopt.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutations of a file's bytes, whatever its format: bit flips, edge bytes and integers, deleted,
 * duplicated or inserted ranges, truncation, splicing with another seed, digit runs replaced by
 * edge numbers.
 */
final class ByteMutations {
    private ByteMutations() {}

    /** One mutation of the bytes: a new array ({@code data} is not changed). */
    static byte[] mutate(byte[] data, List<byte[]> others, SplittableRandom rnd) {
        int len = data.length;
        if (len == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        switch (rnd.nextInt(10)) {
            case 0: { // flip a bit
                byte[] d = data.clone();
                int p = rnd.nextInt(len);
                d[p] ^= (byte) (1 << rnd.nextInt(8));
                return d;
            }
            case 1: { // a byte set to an edge value
                byte[] d = data.clone();
                byte[] edge = {0, (byte) 0xff, 0x7f, (byte) 0x80, 1, '"', '{', '[', ']', '}', ',', ':', '-', '9', '.', 'e'};
                d[rnd.nextInt(len)] = edge[rnd.nextInt(edge.length)];
                return d;
            }
            case 2: { // a random byte
                byte[] d = data.clone();
                d[rnd.nextInt(len)] = (byte) rnd.nextInt(256);
                return d;
            }
            case 3: { // delete a range
                int from = rnd.nextInt(len);
                int n = Math.min(len - from, 1 + rnd.nextInt(Math.max(1, Math.min(len, 64))));
                return concat(Arrays.copyOfRange(data, 0, from), Arrays.copyOfRange(data, from + n, len));
            }
            case 4: { // duplicate a range
                int from = rnd.nextInt(len);
                int n = Math.min(len - from, 1 + rnd.nextInt(Math.max(1, Math.min(len, 256))));
                int at = rnd.nextInt(len + 1);
                return concat(Arrays.copyOfRange(data, 0, at), Arrays.copyOfRange(data, from, from + n),
                        Arrays.copyOfRange(data, at, len));
            }
            case 5: // truncate
                return Arrays.copyOf(data, rnd.nextInt(len));
            case 6: { // splice with another seed of the kind
                byte[] other = others.get(rnd.nextInt(others.size()));
                if (other.length == 0) {
                    return data;
                }
                int cut = rnd.nextInt(len);
                int from = rnd.nextInt(other.length);
                return concat(Arrays.copyOfRange(data, 0, cut), Arrays.copyOfRange(other, from, other.length));
            }
            case 7: { // an edge integer written over 1, 2, 4 or 8 bytes (varints, lengths, raw tensor data)
                byte[] d = data.clone();
                long v = EdgeValues.INTS[rnd.nextInt(EdgeValues.INTS.length)];
                int width = 1 << rnd.nextInt(4);
                int p = rnd.nextInt(len);
                for (int i = 0; i < width && p + i < len; i++) {
                    d[p + i] = (byte) (v >>> (8 * i));
                }
                return d;
            }
            case 8: { // a digit run replaced by an edge number (text formats)
                int p = rnd.nextInt(len);
                int start = -1;
                for (int i = p; i < len; i++) {
                    if (data[i] >= '0' && data[i] <= '9') {
                        start = i;
                        break;
                    }
                }
                if (start < 0) {
                    return mutate(data, others, rnd);
                }
                int end = start;
                while (end < len && (data[end] >= '0' && data[end] <= '9' || data[end] == '.')) {
                    end++;
                }
                byte[] num = EdgeValues.NUMBERS[rnd.nextInt(EdgeValues.NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
                return concat(Arrays.copyOfRange(data, 0, start), num, Arrays.copyOfRange(data, end, len));
            }
            default: { // insert random bytes
                int n = 1 + rnd.nextInt(8);
                byte[] ins = new byte[n];
                for (int i = 0; i < n; i++) {
                    ins[i] = (byte) rnd.nextInt(256);
                }
                int at = rnd.nextInt(len + 1);
                return concat(Arrays.copyOfRange(data, 0, at), ins, Arrays.copyOfRange(data, at, len));
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
