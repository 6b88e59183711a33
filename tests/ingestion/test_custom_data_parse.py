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
    assert ("bad.csv", "the first CSV column must be 'entity'") in messages
