with

rules as (
    {{ first_load_per_key(source_or_empty('raw_scorecards', 'rules', {
        'scorecard_id': 'varchar',
        'definition_hash': 'varchar',
        'rule_id': 'varchar',
        'name': 'varchar',
        'level': 'varchar',
        'level_rank': 'integer',
        'points': 'integer',
        'description': 'varchar',
        'remediation': 'varchar',
        'effective_from': 'date',
        'condition_text': 'varchar',
        'condition_sql_duckdb': 'varchar',
        'condition_sql_postgres': 'varchar',
        'condition_facts': 'varchar',
        'applies_to_text': 'varchar',
        'applies_to_sql_duckdb': 'varchar',
        'applies_to_sql_postgres': 'varchar',
        'applies_to_facts': 'varchar',
        'position': 'integer',
        '_dlt_load_id': 'varchar',
    }), ['scorecard_id', 'definition_hash', 'rule_id']) }}
),

final as (
    select
        scorecard_id,
        definition_hash,
        rule_id,
        name,
        level,
        level_rank,
        points,
        description,
        remediation,
        effective_from,
        condition_text,
        condition_sql_duckdb,
        condition_sql_postgres,
        condition_facts,
        applies_to_text,
        applies_to_sql_duckdb,
        applies_to_sql_postgres,
        applies_to_facts,
        position
    from rules
)

select * from final
