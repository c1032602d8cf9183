#!/usr/bin/env python3
"""Parses Swift and Kotlin sources with tree-sitter and fails on any syntax error.

No Swift or Android toolchain runs on Linux CI, so this is the check that the generated
bindings and the hand-written shell code are at least well-formed. The Swift grammar
misreads uniffi's `#if swift(>=5.8)` blocks around attributes, so those directive lines
(and their matching `#endif`) are dropped before parsing; nothing else is changed.
"""
import sys
from pathlib import Path

import tree_sitter
import tree_sitter_kotlin
import tree_sitter_swift

LANGS = {
    ".swift": tree_sitter.Language(tree_sitter_swift.language()),
    ".kt": tree_sitter.Language(tree_sitter_kotlin.language()),
    ".kts": tree_sitter.Language(tree_sitter_kotlin.language()),
}


def strip_swift_version_directives(text: str) -> str:
    out, depth, skipping = [], 0, []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#if"):
            is_version = s.startswith("#if swift(")
            skipping.append(is_version)
            if is_version:
                continue
        elif s.startswith("#endif") and skipping:
            if skipping.pop():
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def errors(node, found):
    if node.type == "ERROR" or node.is_missing:
        found.append(node)
    for child in node.children:
        errors(child, found)
    return found


def check(path: Path) -> int:
    lang = LANGS[path.suffix]
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".swift":
        text = strip_swift_version_directives(text)
    tree = tree_sitter.Parser(lang).parse(text.encode("utf-8"))
    bad = errors(tree.root_node, [])
    for node in bad[:5]:
        row, col = node.start_point
        print(f"{path}:{row + 1}:{col + 1}: syntax error ({node.type})")
    return len(bad)


def main(roots):
    files = [p for r in roots for p in sorted(Path(r).rglob("*")) if p.suffix in LANGS and p.is_file()]
    if not files:
        print("parse check: no files found", file=sys.stderr)
        return 1
    failed = sum(1 for f in files if check(f) > 0)
    print(f"parse check: {len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
