package dev.guildhall.knowledge.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * TF-IDF features of a text: word unigrams and bigrams, and character 2- to 5-grams inside word
 * boundaries (each word padded with spaces). Term frequencies are sublinear (1 + ln tf), IDF is
 * smoothed, and each of the two blocks is L2-normalised on its own so that neither dominates.
 * Terms seen in fewer than {@code minDf} training texts are dropped.
 */
final class NgramFeatures {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}']+");
    private static final int MIN_CHAR_N = 2;
    private static final int MAX_CHAR_N = 5;

    private final Map<String, Integer> words;
    private final float[] wordIdf;
    private final Map<String, Integer> chars;
    private final float[] charIdf;

    private NgramFeatures(Map<String, Integer> words, float[] wordIdf, Map<String, Integer> chars, float[] charIdf) {
        this.words = words;
        this.wordIdf = wordIdf;
        this.chars = chars;
        this.charIdf = charIdf;
    }

    static NgramFeatures fit(List<String> texts, int minDf) {
        Map<String, int[]> wordDf = new HashMap<>();
        Map<String, int[]> charDf = new HashMap<>();
        for (String text : texts) {
            List<String> tokens = tokens(text);
            for (String term : wordTerms(tokens).keySet()) {
                wordDf.computeIfAbsent(term, k -> new int[1])[0]++;
            }
            for (String term : charTerms(tokens).keySet()) {
                charDf.computeIfAbsent(term, k -> new int[1])[0]++;
            }
        }
        int n = texts.size();
        Map<String, Integer> words = new LinkedHashMap<>();
        List<Float> wIdf = new ArrayList<>();
        index(wordDf, minDf, n, words, wIdf);
        Map<String, Integer> chars = new LinkedHashMap<>();
        List<Float> cIdf = new ArrayList<>();
        index(charDf, minDf, n, chars, cIdf);
        return new NgramFeatures(words, toArray(wIdf), chars, toArray(cIdf));
    }

    private static void index(
            Map<String, int[]> df, int minDf, int n, Map<String, Integer> vocabulary, List<Float> idf) {
        df.entrySet().stream()
                .filter(e -> e.getValue()[0] >= minDf)
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    vocabulary.put(e.getKey(), vocabulary.size());
                    idf.add((float) (Math.log((1.0 + n) / (1.0 + e.getValue()[0])) + 1.0));
                });
    }

    int dimension() {
        return words.size() + chars.size();
    }

    SparseVector transform(String text) {
        List<String> tokens = tokens(text);
        Map<String, Integer> w = wordTerms(tokens);
        Map<String, Integer> c = charTerms(tokens);
        int[] idx = new int[w.size() + c.size()];
        float[] val = new float[idx.length];
        int n = block(w, words, wordIdf, 0, idx, val, 0);
        int m = block(c, chars, charIdf, words.size(), idx, val, n);
        return new SparseVector(Arrays.copyOf(idx, n + m), Arrays.copyOf(val, n + m));
    }

    private static int block(
            Map<String, Integer> terms,
            Map<String, Integer> vocabulary,
            float[] idf,
            int offset,
            int[] idx,
            float[] val,
            int start) {
        int n = start;
        double norm = 0;
        for (Map.Entry<String, Integer> term : terms.entrySet()) {
            Integer i = vocabulary.get(term.getKey());
            if (i != null) {
                float v = (float) ((1.0 + Math.log(term.getValue())) * idf[i]);
                idx[n] = offset + i;
                val[n] = v;
                norm += v * v;
                n++;
            }
        }
        if (norm > 0) {
            float inv = (float) (1.0 / Math.sqrt(norm));
            for (int k = start; k < n; k++) {
                val[k] *= inv;
            }
        }
        return n - start;
    }

    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (String t : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        return tokens;
    }

    private static Map<String, Integer> wordTerms(List<String> tokens) {
        Map<String, Integer> terms = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            terms.merge(tokens.get(i), 1, Integer::sum);
            if (i + 1 < tokens.size()) {
                terms.merge(tokens.get(i) + " " + tokens.get(i + 1), 1, Integer::sum);
            }
        }
        return terms;
    }

    private static Map<String, Integer> charTerms(List<String> tokens) {
        Map<String, Integer> terms = new HashMap<>();
        for (String token : tokens) {
            String padded = " " + token + " ";
            for (int n = MIN_CHAR_N; n <= MAX_CHAR_N; n++) {
                for (int i = 0; i + n <= padded.length(); i++) {
                    terms.merge(padded.substring(i, i + n), 1, Integer::sum);
                }
            }
        }
        return terms;
    }

    void write(DataOutputStream out) throws IOException {
        writeBlock(out, words, wordIdf);
        writeBlock(out, chars, charIdf);
    }

    static NgramFeatures read(DataInputStream in) throws IOException {
        Map<String, Integer> words = new HashMap<>();
        float[] wordIdf = readBlock(in, words);
        Map<String, Integer> chars = new HashMap<>();
        float[] charIdf = readBlock(in, chars);
        return new NgramFeatures(words, wordIdf, chars, charIdf);
    }

    private static void writeBlock(DataOutputStream out, Map<String, Integer> vocabulary, float[] idf)
            throws IOException {
        String[] terms = new String[vocabulary.size()];
        vocabulary.forEach((term, i) -> terms[i] = term);
        out.writeInt(terms.length);
        for (int i = 0; i < terms.length; i++) {
            out.writeUTF(terms[i]);
            out.writeFloat(idf[i]);
        }
    }

    private static float[] readBlock(DataInputStream in, Map<String, Integer> vocabulary) throws IOException {
        int n = in.readInt();
        float[] idf = new float[n];
        for (int i = 0; i < n; i++) {
            vocabulary.put(in.readUTF(), i);
            idf[i] = in.readFloat();
        }
        return idf;
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
