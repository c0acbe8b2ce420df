package dev.guildhall.knowledge.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Multinomial logistic regression over sparse features, trained with mini-batch Adam. Only the
 * weight rows of features present in a batch are updated (lazy Adam), which keeps an epoch over
 * tens of thousands of n-gram features cheap. Immutable after training, so thread-safe.
 */
final class SoftmaxRegression {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    /** How to train: passes over the data, examples per step, Adam's step size and an L2 penalty. */
    record Settings(int epochs, int batchSize, double learningRate, double l2, long seed) {}

    private final int features;
    private final int classes;
    private final float[] weights;
    private final float[] bias;

    private SoftmaxRegression(int features, int classes, float[] weights, float[] bias) {
        this.features = features;
        this.classes = classes;
        this.weights = weights;
        this.bias = bias;
    }

    int classes() {
        return classes;
    }

    /** The raw class scores (logits) of {@code x}. */
    float[] logits(SparseVector x) {
        int k = classes;
        float[] z = bias.clone();
        int[] idx = x.indices();
        float[] val = x.values();
        for (int i = 0; i < idx.length; i++) {
            int j = idx[i];
            if (j >= features) {
                continue;
            }
            float v = val[i];
            int off = j * k;
            for (int c = 0; c < k; c++) {
                z[c] += v * weights[off + c];
            }
        }
        return z;
    }

    /** Softmax of {@code logits / temperature}, in place, returned for chaining. */
    static double[] softmax(float[] logits, double temperature) {
        double[] p = new double[logits.length];
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z / temperature);
        }
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logits[c] / temperature - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    static SoftmaxRegression train(List<SparseVector> xs, int[] ys, int features, int classes, Settings settings) {
        int k = classes;
        int n = xs.size();
        float[] w = new float[features * k];
        float[] b = new float[k];
        float[] m = new float[features * k];
        float[] v = new float[features * k];
        float[] gw = new float[features * k];
        float[] mb = new float[k];
        float[] vb = new float[k];
        float[] gb = new float[k];
        int[] touched = new int[features];
        boolean[] isTouched = new boolean[features];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(settings.seed());
        float[] z = new float[k];
        int step = 0;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            shuffle(order, random);
            // Linear decay to a tenth of the step size over the epochs: settles without a schedule search.
            double lr = settings.learningRate() * (1.0 - 0.9 * epoch / Math.max(1, settings.epochs() - 1));
            for (int start = 0; start < n; start += settings.batchSize()) {
                int end = Math.min(n, start + settings.batchSize());
                float scale = 1f / (end - start);
                int nTouched = 0;
                for (int p = start; p < end; p++) {
                    SparseVector x = xs.get(order[p]);
                    int[] idx = x.indices();
                    float[] val = x.values();
                    System.arraycopy(b, 0, z, 0, k);
                    for (int i = 0; i < idx.length; i++) {
                        int off = idx[i] * k;
                        float xv = val[i];
                        for (int c = 0; c < k; c++) {
                            z[c] += xv * w[off + c];
                        }
                    }
                    float max = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        max = Math.max(max, z[c]);
                    }
                    float sum = 0;
                    for (int c = 0; c < k; c++) {
                        z[c] = (float) Math.exp(z[c] - max);
                        sum += z[c];
                    }
                    for (int c = 0; c < k; c++) {
                        z[c] = z[c] / sum * scale;
                    }
                    z[ys[order[p]]] -= scale;
                    for (int c = 0; c < k; c++) {
                        gb[c] += z[c];
                    }
                    for (int i = 0; i < idx.length; i++) {
                        int j = idx[i];
                        if (!isTouched[j]) {
                            isTouched[j] = true;
                            touched[nTouched++] = j;
                        }
                        int off = j * k;
                        float xv = val[i];
                        for (int c = 0; c < k; c++) {
                            gw[off + c] += xv * z[c];
                        }
                    }
                }
                step++;
                // Adam in float: this update runs over every touched weight of every batch.
                float stepSize = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
                float l2 = (float) settings.l2();
                for (int t = 0; t < nTouched; t++) {
                    int j = touched[t];
                    isTouched[j] = false;
                    int off = j * k;
                    adam(w, m, v, gw, off, off + k, l2, stepSize);
                }
                adam(b, mb, vb, gb, 0, k, 0f, stepSize);
            }
        }
        return new SoftmaxRegression(features, classes, w, b);
    }

    private static void adam(float[] w, float[] m, float[] v, float[] g, int from, int to, float l2, float stepSize) {
        final float b1 = (float) BETA1;
        final float b2 = (float) BETA2;
        final float eps = (float) EPSILON;
        for (int c = from; c < to; c++) {
            float grad = g[c] + l2 * w[c];
            g[c] = 0;
            float mc = b1 * m[c] + (1 - b1) * grad;
            float vc = b2 * v[c] + (1 - b2) * grad * grad;
            m[c] = mc;
            v[c] = vc;
            w[c] -= stepSize * mc / ((float) Math.sqrt(vc) + eps);
        }
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(features);
        out.writeInt(classes);
        for (float f : bias) {
            out.writeFloat(f);
        }
        for (float f : weights) {
            out.writeFloat(f);
        }
    }

    static SoftmaxRegression read(DataInputStream in) throws IOException {
        int features = in.readInt();
        int classes = in.readInt();
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            bias[c] = in.readFloat();
        }
        float[] weights = new float[Math.multiplyExact(features, classes)];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = in.readFloat();
        }
        return new SoftmaxRegression(features, classes, weights, bias);
    }
}
