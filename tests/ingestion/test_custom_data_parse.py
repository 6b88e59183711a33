from ingestion.custom_data.parse import read_custom_data


def test_yaml_json_and_csv(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "entity: component:default/a\ndata:\n  incident-process-documented: true\n  score: 3\n"
        "---\nentity: b\ndata: {incident-process-documented: false, tags: [x, y]}\n"
        "---\ndata: {k: 1}\n"
    )
    (tmp_path / "b.json").write_text('[{"entity": "c", "data": {"owner-team": "z"}}]')
    (tmp_path / "c.csv").write_text("entity,incident-process-documented,coverage\nd,true,91.5\n")
    (tmp_path / "bad.csv").write_text("name,x\nq,1\n")
    rows = read_custom_data(tmp_path)
    values = {(v["entity_ref"], v["key"]): (v["value"], v["value_type"]) for v in rows.values}
    assert values[("component:default/a", "incident-process-documented")] == ("true", "boolean")
    assert values[("component:default/a", "score")] == ("3", "number")
    assert values[("component:default/b", "tags")] == ('["x", "y"]', "json")
    assert values[("component:default/c", "owner-team")] == ("z", "string")
    assert values[("component:default/d", "incident-process-documented")] == ("true", "boolean")
    assert values[("component:default/d", "coverage")] == ("91.5", "number")
    messages = {(e["file"], e["message"]) for e in rows.errors}
    assert ("a.yaml", "missing 'entity' (an entity ref)") in messages
    assert ("bad.csv", "the first column is 'name', not 'entity'") in messages


SCHEMA = """\
keys:
  - key: incident-process-documented
    type: boolean
    description: Incident process written down.
  - key: classification
    type: string
    allowed: [public, internal]
    description: Data class.
  - key: reviewed-on
    type: date
    description: Last review.
"""


def _problems(rows, folder):
    return [str(problem).removeprefix(f"{folder}/") for problem in rows.problems(folder)]


def test_values_are_checked_against_the_schema_and_bad_items_are_refused_whole(tmp_path):
    (tmp_path / "schema.yml").write_text(SCHEMA)
    (tmp_path / "a.yaml").write_text(
        "entity: good\ndata: {incident-process-documented: true, reviewed-on: 2026-01-31}\n"
        "---\nentity: half\ndata: {classification: public, incident-process-documented: maybe}\n"
        "---\nentity: typo\ndata: {clasification: public}\n"
        "---\nentity: dated\ndata: {reviewed-on: 2026-02-30}\n"
        "---\nentity: secret\ndata: {classification: secret}\n"
    )
    (tmp_path / "b.csv").write_text(
        "entity,incident-process-documented,reviewed-on\nother,false,\nbad,yes please,\n"
    )
    rows = read_custom_data(tmp_path, known_entities={"component:default/good"})
    loaded = {(v["entity_ref"].split("/")[-1], v["key"]): v["value"] for v in rows.values}
    assert loaded == {
        ("good", "incident-process-documented"): "true",
        ("good", "reviewed-on"): "2026-01-31",
        ("other", "incident-process-documented"): "false",
    }
    # Nothing of a refused item is loaded; its keys are listed, so their facts are unknown.
    assert {(r["entity_ref"].split("/")[-1], r["key"]) for r in rows.refused} == {
        ("half", "classification"),
        ("half", "incident-process-documented"),
        ("typo", "clasification"),
        ("dated", "reviewed-on"),
        ("secret", "classification"),
        ("bad", "incident-process-documented"),
    }
    problems = _problems(rows, tmp_path)
    assert (
        "a.yaml:4: item 2, component:default/half, key 'incident-process-documented': "
        "is 'maybe', not true or false (hint: 'incident-process-documented' is declared "
        "boolean: write true or false)"
    ) in problems
    assert any(
        p.startswith("a.yaml:7: item 3, component:default/typo, key 'clasification': unknown key")
        and "did you mean 'classification'?" in p
        for p in problems
    )
    assert any("a.yaml:10:" in p and "February 2026 has 28 days" in p for p in problems)
    assert any("a.yaml:13:" in p and "not one of public, internal" in p for p in problems)
    assert any(p.startswith("b.csv:3: item 2, component:default/bad") for p in problems)
    assert any("component:default/other is not in the catalog" in p for p in problems)
    assert rows.warnings == []


def test_unreadable_files_are_refused_per_file_and_the_others_load(tmp_path):
    (tmp_path / "good.json").write_text(
        '[{"entity": "a", "data": {"k": 1}},\n  {"entity": "b", "data": {"k": 2}}]'
    )
    (tmp_path / "cut.json").write_text('[{"entity": "c", "data": {"k": 3}},\n {"entity": "d"')
    (tmp_path / "twice.json").write_text('{"entity": "e", "entity": "f", "data": {}}')
    (tmp_path / "latin.csv").write_bytes(b"entity,k\ncaf\xe9,1\n")
    (tmp_path / "garbage.yaml").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "service.csv").write_text("service,k\nx,1\n")
    (tmp_path / "shapes.yaml").write_text(
        "entity: g\ndata: {k: [1, 2]}\n---\nentity: h\ndata: {k: maybe}\n"
    )
    rows = read_custom_data(tmp_path)
    assert sorted(v["entity_ref"] for v in rows.values) == [
        "component:default/a",
        "component:default/b",
    ]
    problems = _problems(rows, tmp_path)
    assert any(
        p.startswith("cut.json:2: invalid JSON") and "ends before the JSON does" in p
        for p in problems
    )
    assert "twice.json: duplicate key 'entity' in a JSON object (hint: remove one)" in problems
    assert any(p.startswith("latin.csv:2: not UTF-8 text (byte 0xe9") for p in problems)
    assert any(p.startswith("garbage.yaml: a binary file") for p in problems)
    assert any(p.startswith("service.csv:1: the first column is 'service'") for p in problems)
    # No schema: a key keeps one type across files (here a number, then a list).
    assert any(
        p.startswith(
            "shapes.yaml:1: item 1, component:default/g, key 'k': is a list or mapping "
            "here but a number at good.json:1"
        )
        for p in problems
    )
    assert rows.warnings and "no schema.yml" in rows.warnings[0]


def test_a_key_set_twice_for_an_entity_is_ambiguous(tmp_path):
    (tmp_path / "a.yaml").write_text("entity: x\ndata: {k: true}\n")
    (tmp_path / "b.yaml").write_text("entity: component:default/x\ndata: {k: false}\n")
    rows = read_custom_data(tmp_path)
    assert [v["file"] for v in rows.values] == ["a.yaml"]
    assert rows.refused == [
        {"entity_ref": "component:default/x", "key": "k", "file": "b.yaml", "line": 1}
    ]
    assert "is also set at a.yaml:1" in rows.errors[0]["message"]


def test_the_schema_file_is_validated_against_the_facts(tmp_path):
    (tmp_path / "schema.yml").write_text(
        "keys:\n  - key: incident-process-documented\n    type: string\n    description: x\n"
        "  - {key: a, type: colour, description: y}\n"
        "  - {key: b, type: boolean, allowed: [x], description: z}\n"
    )
    rows = read_custom_data(tmp_path)
    problems = _problems(rows, tmp_path)
    assert any(
        p.startswith(
            "schema.yml:3: key 'incident-process-documented': declared string, but "
            "the fact incident_process_documented reads it as boolean"
        )
        for p in problems
    )
    assert any(p.startswith("schema.yml:5: key 'a': type: Input should be") for p in problems)
    assert any(p.startswith("schema.yml:6: key 'b': 'allowed' does not apply") for p in problems)
