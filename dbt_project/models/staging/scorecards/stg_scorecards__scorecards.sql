with

scorecards as (
    {{ first_load_per_key(source_or_empty('raw_scorecards', 'scorecards', {
        'scorecard_id': 'varchar',
        'definition_hash': 'varchar',
        'name': 'varchar',
        'description': 'varchar',
        'owner': 'varchar',
        'applies_to_text': 'varchar',
        'applies_to_sql_duckdb': 'varchar',
        'applies_to_sql_postgres': 'varchar',
        'definition_json': 'varchar',
        'file': 'varchar',
        'first_loaded_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }), ['scorecard_id', 'definition_hash']) }}
),

final as (
    select
        scorecard_id,
        definition_hash,
        name,
        description,
        owner,
        applies_to_text,
        applies_to_sql_duckdb,
        applies_to_sql_postgres,
        definition_json,
        file,
        first_loaded_at
    from scorecards
)

select * from final
