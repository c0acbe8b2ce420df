#!/usr/bin/env python3
"""Stratified train/test split of a text,label CSV (header kept), for measuring the intent router.

Usage: scripts/split-labelled-csv.py IN.csv TRAIN_OUT.csv TEST_OUT.csv [--test-fraction 0.2] [--seed 1]
Every label keeps round(n * fraction) of its rows in the test file; the rest go to the train file.
"""
import argparse
import csv
import random
from collections import defaultdict

p = argparse.ArgumentParser()
p.add_argument("source")
p.add_argument("train_out")
p.add_argument("test_out")
p.add_argument("--test-fraction", type=float, default=0.2)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

with open(a.source, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
by_label = defaultdict(list)
for r in rows:
    by_label[r[1]].append(r)
rng = random.Random(a.seed)
train, test = [], []
for label in sorted(by_label):
    group = by_label[label]
    rng.shuffle(group)
    n = round(len(group) * a.test_fraction)
    test += group[:n]
    train += group[n:]
rng.shuffle(train)
rng.shuffle(test)
for path, part in ((a.train_out, train), (a.test_out, test)):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(part)
print(f"{len(train)} train rows -> {a.train_out}, {len(test)} test rows -> {a.test_out}")
