#!/usr/bin/env python3
"""Scores Microsoft Presidio's own pattern recognizers on this corpus, the way CorpusTests scores
Sluice (a hit must cover the whole expected span; a finding overlapping no expected span of its
type is a false positive), and times them. For the comparison in README.md; not part of CI.

    /tmp/corpus-venv/bin/pip install presidio-analyzer==2.2.366
    /tmp/corpus-venv/bin/python compare_presidio.py *.jsonl   # PRESIDIO_THRESHOLD=0.5 for a score cut

Secrets are left out (Presidio has no recognizer for them). Recognizers run without an NLP
engine (no spaCy model can be downloaded here), so Presidio's context words do not raise scores;
every result at or above the threshold counts.
"""
import json
import os
import sys
import time

import tldextract

# The e-mail recognizer validates domains with tldextract, which would download the public
# suffix list; use the snapshot bundled with the package instead (no network here).
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())

from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)

THRESHOLD = float(os.environ.get("PRESIDIO_THRESHOLD", "0"))
RECOGNIZERS = {
    "email": (EmailRecognizer(), "EMAIL_ADDRESS"),
    "phone": (PhoneRecognizer(), "PHONE_NUMBER"),
    "credit_card": (CreditCardRecognizer(), "CREDIT_CARD"),
    "ssn": (UsSsnRecognizer(), "US_SSN"),
    "iban": (IbanRecognizer(), "IBAN_CODE"),
    "ip_address": (IpRecognizer(), "IP_ADDRESS"),
}


def load(paths):
    for path in paths:
        for line in open(path, encoding="utf-8"):
            item = json.loads(line)
            text = item["text"]
            data = text.encode()
            spans = []
            search = 0
            for f in item["findings"]:
                if "start" in f:
                    start = len(data[: f["start"]].decode())
                    end = start + len(f["value"])
                else:
                    start = text.index(f["value"], search)
                    end = start + len(f["value"])
                    search = end
                spans.append((f["type"], start, end))
            yield text, spans


def main(paths):
    items = list(load(paths))
    tally = {kind: [0, 0, 0] for kind in RECOGNIZERS}
    started = time.perf_counter()
    results = []
    for text, _ in items:
        found = []
        for kind, (recognizer, entity) in RECOGNIZERS.items():
            for r in recognizer.analyze(text, [entity], None):
                if r.score >= THRESHOLD and r.score > 0:
                    found.append((kind, r.start, r.end))
        results.append(found)
    elapsed = time.perf_counter() - started
    for (text, expected), found in zip(items, results):
        for kind, start, end in expected:
            if kind not in tally:
                continue  # Presidio has no recognizer for secrets
            if any(k == kind and s <= start and e >= end for k, s, e in found):
                tally[kind][0] += 1
            else:
                tally[kind][2] += 1
        for kind, start, end in found:
            if not any(k == kind and s < end and start < e for k, s, e in expected):
                tally[kind][1] += 1
    size = sum(len(text.encode()) for text, _ in items)
    print(f"{len(items)} snippets, {size} bytes, {elapsed:.2f} s: {size / elapsed / 1e6:.3f} MB/s")
    print("detector      TP   FP   FN  precision  recall")
    for kind, (tp, fp, fn) in tally.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{kind:12}{tp:5}{fp:5}{fn:5}{precision:11.3f}{recall:8.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
