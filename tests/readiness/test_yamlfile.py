"""Reading user YAML: limits, refusals and line numbers."""

from __future__ import annotations

import datetime as dt

from readiness.errors import Problems
from readiness.yamlfile import Limits, iter_documents


def read(tmp_path, text: str | bytes, limits: Limits | None = None):
    path = tmp_path / "file.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    problems = Problems()
    documents = list(iter_documents(path, problems, limits or Limits()))
    messages = [str(p).removeprefix(f"{path}") for p in problems]
    return documents, messages


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_billion_laughs_is_refused_after_the_expansion_budget(tmp_path):
    assert len(BOMB) < 1024
    documents, messages = read(tmp_path, "---\nkeep: me\n---\n" + BOMB)
    assert [d.data for d in documents] == [{"keep": "me"}]
    (message,) = messages
    assert message.startswith(":5: document 2: aliases expand to more than 10000 values")


def test_the_budget_counts_the_values_an_alias_brings(tmp_path):
    # One alias of a flat list of 50 values, used 300 times: 15,000 values.
    text = "base: &l [" + ", ".join(["x"] * 50) + "]\nuses: [" + ", ".join(["*l"] * 300) + "]\n"
    _, messages = read(tmp_path, text)
    assert "aliases expand to more than 10000 values" in messages[0]
    documents, messages = read(tmp_path, text, Limits(max_alias_nodes=20_000))
    assert not messages and len(documents[0].data["uses"]) == 300


def test_duplicate_keys_are_refused_with_both_lines(tmp_path):
    documents, messages = read(
        tmp_path, "ok: 1\n---\nrules:\n  - id: a\n    condition: x\n    condition: y\n"
    )
    assert [d.data for d in documents] == [{"ok": 1}]
    assert messages == [
        ":6: document 2: duplicate key 'condition' at rules.0 (first on line 5) (hint: YAML "
        "keys are unique, and only the last one would be read: remove one)"
    ]


def test_merge_keys_merge_and_explicit_keys_win(tmp_path):
    documents, messages = read(tmp_path, "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 5\n")
    assert not messages
    assert documents[0].data["m"] == {"x": 1, "y": 5}


def test_recursion_depth_and_tags_are_refused(tmp_path):
    _, messages = read(tmp_path, "a: &r [1, *r]\n")
    assert messages[0].startswith(":1: document 1: recursive alias at a.1")
    _, messages = read(tmp_path, "a: " + "[" * 150 + "]" * 150 + "\n")
    assert "nested deeper than 100 levels" in messages[0]
    _, messages = read(tmp_path, "a: !!python/object/apply:os.system [id]\n")
    assert (
        "the tag tag:yaml.org,2002:python/object/apply:os.system is not plain YAML" in (messages[0])
    )
    _, messages = read(tmp_path, "a: !!set {x: null}\n")
    assert "is not plain YAML" in messages[0]


def test_an_impossible_day_stays_text_and_real_days_are_dates(tmp_path):
    documents, messages = read(tmp_path, "a: 2026-02-30\nb: 2026-02-28\n")
    assert not messages
    assert documents[0].data == {"a": "2026-02-30", "b": dt.date(2026, 2, 28)}


def test_files_too_big_binary_or_not_utf8_are_refused_whole(tmp_path):
    _, messages = read(tmp_path, "a: 1\n" * 100, Limits(max_file_bytes=100))
    assert messages == [
        ": the file is 500 bytes, more than the limit of 100 (hint: split it into several files)"
    ]
    _, messages = read(tmp_path, b"a: 1\n\x00\x01")
    assert messages[0].startswith(": a binary file, not text")
    _, messages = read(tmp_path, b"a: 1\nb: caf\xe9\n")
    assert messages[0].startswith(":2: not UTF-8 text (byte 0xe9 at offset 11)")
    documents, messages = read(tmp_path, "\ufeffa: 1\n")
    assert not messages and documents[0].data == {"a": 1}


def test_line_numbers_are_the_files_in_every_document(tmp_path):
    documents, messages = read(tmp_path, "a: 1\n---\nb:\n  - x\n  - [\n---\nc:\n  d: 2\n")
    assert [d.data for d in documents] == [{"a": 1}, {"c": {"d": 2}}]
    assert documents[1].line("c", "d") == 8 and documents[1].index == 2
    assert messages[0].startswith(":5: document 2: invalid YAML")
