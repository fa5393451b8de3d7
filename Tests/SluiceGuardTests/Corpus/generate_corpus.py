#!/usr/bin/env python3
"""Generates the third-party part of the redaction corpus (see README.md in this folder).

Run once, from this folder, in a virtual environment with the pinned generators:

    python3 -m venv /tmp/corpus-venv
    /tmp/corpus-venv/bin/pip install presidio-evaluator==0.3.2 faker==40.63.0 phonenumbers==9.0.43 cryptography==50.0.2
    /tmp/corpus-venv/bin/python generate_corpus.py

It writes presidio.jsonl, faker.jsonl and secrets.jsonl. Every line is one JSON object:
{"text": ..., "findings": [{"type": ..., "start": ..., "end": ..., "value": ...}], "source": ...}
with start/end as UTF-8 byte offsets into text. Output is deterministic for a given seed and
package versions.
"""
import base64
import json
import random
import re
import string

import phonenumbers
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from faker import Faker
from presidio_evaluator.data_generator import PresidioSentenceFaker

SEED = 20261125
SENTENCES = 15000
CAP_PER_TYPE = 400
NEGATIVE_SENTENCES = 500

# Presidio entity types that Sluice's built-in detectors cover. Everything else presidio
# labels (names, addresses, dates, driver licences, zip codes, ages...) is not a finding.
TYPES = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "credit_card",
    "US_SSN": "ssn",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip_address",
}

NANP = re.compile(
    r"^(\+?1[\s.-]?|001[\s.-])?(\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-]?)[2-9]\d{2}[\s.-]?\d{4}((\s?x|\s?ext\.?\s?)\d{1,6})?$"
)


def phone_in_scope(value):
    """Sluice's phone detector covers North American numbers and international numbers written
    with a leading '+'. Other national formats ('07700 316 475', '9822 3749') are out of its
    scope; sentences holding one are dropped rather than mislabelled either way."""
    if NANP.match(value):
        return True
    if value.startswith("+"):
        try:
            return phonenumbers.is_possible_number(phonenumbers.parse(value, None))
        except phonenumbers.NumberParseException:
            return False
    return False


def byte_spans(text, spans):
    """(type, char start, char end) -> dicts with UTF-8 byte offsets and the value."""
    out = []
    for kind, start, end in sorted(spans, key=lambda s: s[1]):
        b_start = len(text[:start].encode())
        b_end = b_start + len(text[start:end].encode())
        out.append({"type": kind, "start": b_start, "end": b_end, "value": text[start:end]})
    return out


def unescape_template_newlines(text, spans):
    """presidio's templates write line breaks as a literal backslash-n; turn them into real
    ones (and '\\,' into ',') so that boundaries are what a real text would have."""
    result = []
    index_map = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in "n,":
            index_map.append(len(result))
            index_map.append(len(result))
            result.append("\n" if text[i + 1] == "n" else ",")
            i += 2
        else:
            index_map.append(len(result))
            result.append(text[i])
            i += 1
    index_map.append(len(result))
    return "".join(result), [(k, index_map[s], index_map[e]) for k, s, e in spans]


def presidio_corpus():
    faker = PresidioSentenceFaker(locale="en_US", lower_case_ratio=0.0, random_seed=SEED)
    samples = faker.generate_new_fake_sentences(SENTENCES)
    positives, negatives = [], []
    per_type = {kind: 0 for kind in TYPES.values()}
    dropped_phones = 0
    for sample in samples:
        spans = [(TYPES[s.entity_type], s.start_position, s.end_position) for s in sample.spans if s.entity_type in TYPES]
        text, spans = unescape_template_newlines(sample.full_text, spans)
        if any(kind == "phone" and not phone_in_scope(text[s:e]) for kind, s, e in spans):
            dropped_phones += 1
            continue
        line = {"text": text, "findings": byte_spans(text, spans), "source": "presidio-evaluator"}
        if spans:
            kinds = {kind for kind, _, _ in spans}
            if all(per_type[k] >= CAP_PER_TYPE for k in kinds):
                continue
            for kind, _, _ in spans:
                per_type[kind] += 1
            positives.append(line)
        else:
            negatives.append(line)
    rng = random.Random(SEED)
    rng.shuffle(negatives)
    print("presidio: positives per type", per_type, "sentences dropped for out-of-scope phones", dropped_phones)
    return positives + negatives[:NEGATIVE_SENTENCES]


def luhn_ok(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def faker_corpus():
    """Hard negatives from Faker's providers (plus Faker-made positives for IPs and e-mails)."""
    fake = Faker("en_US")
    Faker.seed(SEED)
    lines = []

    def negative(text):
        lines.append({"text": text, "findings": [], "source": "faker"})

    def positive(template, kind, value):
        text = template.format(value)
        start = text.index(value)
        lines.append({"text": text, "findings": byte_spans(text, [(kind, start, start + len(value))]), "source": "faker"})

    for _ in range(60):
        negative("Request from {}".format(fake.user_agent()))
    for _ in range(40):
        negative("trace id {} for job {}".format(fake.uuid4(), fake.uuid4()))
    for _ in range(30):
        negative("commit {} (md5 {})".format(fake.sha1(), fake.md5()))
    for _ in range(30):
        negative("ISBN {} / EAN {}".format(fake.isbn13(), fake.ean13()))
    for _ in range(30):
        negative("Invoice dated {} at {} total {}".format(fake.date(), fake.time(), fake.pricetag()))
    for _ in range(30):
        negative("ITIN {} and EIN {} are not social security numbers".format(fake.itin(), fake.ein()))
    for _ in range(30):
        negative("device {} saved to {}".format(fake.mac_address(), fake.file_path(depth=3)))
    for _ in range(30):
        negative("package version {} (build {}.{})".format(fake.numerify("%.#.#.#"), fake.numerify("###"), fake.numerify("####")))
    count = 0
    while count < 40:
        number = fake.numerify("4###############")
        if luhn_ok(number):
            continue
        negative("Order number {} shipped {}".format(number, fake.date()))
        count += 1
    for _ in range(30):
        negative("Account {} routing {} amount {}".format(fake.bban(), fake.aba(), fake.pricetag()))
    for _ in range(40):
        positive("Blocked traffic from {} last night", "ip_address", fake.ipv4())
    for _ in range(25):
        positive("IPv6 peer {} dropped", "ip_address", fake.ipv6())
    for _ in range(40):
        positive("Please reply to {} soon", "email", fake.email())
    for _ in range(40):
        positive("Charge {} please", "credit_card", fake.credit_card_number(card_type=None))
    for _ in range(30):
        positive("Call me at {} tomorrow", "phone", fake.phone_number())
    return lines


def secrets_corpus():
    """Credentials in their published formats, random bodies; PEM keys made by `cryptography`."""
    rng = random.Random(SEED)
    alnum = string.ascii_letters + string.digits

    def body(alphabet, n):
        while True:
            s = "".join(rng.choice(alphabet) for _ in range(n))
            if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
                return s

    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")

    values = []
    for _ in range(12):
        values.append("sk-proj-" + body(alnum + "-_", 120))
        values.append("sk-" + body(alnum, 48))
        values.append("sk-ant-api03-" + body(alnum + "-_", 93) + "AA")
        values.append("AKIA" + body(string.ascii_uppercase + "234567", 16))
        values.append("ASIA" + body(string.ascii_uppercase + "234567", 16))
        values.append(rng.choice(["ghp_", "gho_", "ghs_"]) + body(alnum, 36))
        values.append("github_pat_" + body(alnum, 22) + "_" + body(alnum, 59))
        values.append("xox" + rng.choice("abpr") + "-" + str(rng.randrange(10**11, 10**12)) + "-" + body(alnum, 24))
        header = {"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
        payload = {"sub": str(rng.randrange(10**9)), "iat": rng.randrange(1_600_000_000, 1_800_000_000)}
        values.append(b64(header) + "." + b64(payload) + "." + body(alnum + "-_", 43))
    for i in range(6):
        key = rsa.generate_private_key(public_exponent=65537, key_size=1024) if i % 2 else ec.generate_private_key(ec.SECP256R1())
        fmt = serialization.PrivateFormat.TraditionalOpenSSL if i % 3 else serialization.PrivateFormat.PKCS8
        values.append(key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode().strip())
    templates = [
        "my key is {} please keep it safe",
        "export OPENAI_API_KEY={}",
        "Authorization: Bearer {}",
        "config = {{\"token\": \"{}\"}}",
        "here is the credential:\n{}\nthanks",
    ]
    lines = []
    for i, value in enumerate(values):
        template = templates[i % len(templates)] if "BEGIN" not in value else "key file:\n{}\n"
        text = template.format(value)
        start = text.index(value)
        lines.append({"text": text, "findings": byte_spans(text, [("secret", start, start + len(value))]), "source": "generated"})
    return lines


def write(name, lines):
    with open(name, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(name, len(lines), "lines")


if __name__ == "__main__":
    write("presidio.jsonl", presidio_corpus())
    write("faker.jsonl", faker_corpus())
    write("secrets.jsonl", secrets_corpus())
