#!/usr/bin/env python3
"""Where the time inside one function goes: the callees of its outermost frame, by share of samples.

    perf script -i bench/results/profile-*/perf.data | swift demangle --simplified \\
        | bench/lib/below.py 'RequestHandler.finish(status:note:)' [DEPTH]

For every sample whose stack has a frame containing the text, counts the frame just below it (or the
DEPTH frames below it, joined by "<-"), and prints each as a share of all samples: a flat profile of
one subtree, which `perf report` does not give directly.
"""
import collections
import re
import sys


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    pattern = sys.argv[1]
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    frame = re.compile(r"^\s+[0-9a-f]+ (.*?)(?:\+0x[0-9a-f]+)? \(.*\)$")
    total = inside = 0
    below: collections.Counter[str] = collections.Counter()
    stack: list[str] = []

    def sample_ended() -> None:
        nonlocal total, inside
        if not stack:
            return
        total += 1
        # perf prints the leaf first; the outermost match is the last one.
        matches = [i for i, name in enumerate(stack) if pattern in name]
        if not matches:
            return
        inside += 1
        at = matches[-1]
        below[" <- ".join(reversed(stack[max(at - depth, 0):at])) or "<self>"] += 1

    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip():
            sample_ended()
            stack = []
        elif line[0] in "\t ":
            match = frame.match(line)
            if match:
                stack.append(match.group(1))
    sample_ended()
    print(f"{total} samples; inside {pattern!r}: {inside} ({100 * inside / max(total, 1):.2f}%)")
    for name, count in below.most_common(30):
        print(f"{100 * count / total:6.2f}%  {name[:170]}")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
