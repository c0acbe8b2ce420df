package dev.guildhall.knowledge.router;

/** Feature values by index; indices are distinct. Arrays are owned by the vector, not copied. */
record SparseVector(int[] indices, float[] values) {
    SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException(
                    "indices and values must have the same length, was " + indices.length + " and " + values.length);
        }
    }

    int size() {
        return indices.length;
    }

    /** This vector's entries followed by {@code dense}, whose entry {@code i} goes to index {@code offset + i}. */
    SparseVector append(float[] dense, int offset, float scale) {
        int n = indices.length;
        int[] idx = new int[n + dense.length];
        float[] val = new float[n + dense.length];
        System.arraycopy(indices, 0, idx, 0, n);
        System.arraycopy(values, 0, val, 0, n);
        for (int i = 0; i < dense.length; i++) {
            idx[n + i] = offset + i;
            val[n + i] = dense[i] * scale;
        }
        return new SparseVector(idx, val);
    }

    static SparseVector dense(float[] dense, float scale) {
        return new SparseVector(new int[0], new float[0]).append(dense, 0, scale);
    }
}
