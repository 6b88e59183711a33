with

initiatives as (
    {{ first_load_per_key(source_or_empty('raw_scorecards', 'initiatives', {
        'initiative_id': 'varchar',
        'definition_hash': 'varchar',
        'name': 'varchar',
        'description': 'varchar',
        'scorecard_id': 'varchar',
        'target_type': 'varchar',
        'target_level': 'varchar',
        'target_level_rank': 'integer',
        'entity_filter_text': 'varchar',
        'entity_filter_sql_duckdb': 'varchar',
        'entity_filter_sql_postgres': 'varchar',
        'start_date': 'date',
        'due_date': 'date',
        'owner_ref': 'varchar',
        'channels': 'varchar',
        'digest_cadence': 'varchar',
        'digest_weekday': 'varchar',
        'reminder_days': 'varchar',
        'escalate_overdue': 'boolean',
        'level_drop_alerts': 'boolean',
        'definition_json': 'varchar',
        'file': 'varchar',
        'line': 'integer',
        'first_loaded_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }), ['initiative_id', 'definition_hash']) }}
),

final as (
    select
        initiative_id,
        definition_hash,
        name,
        description,
        scorecard_id,
        target_type,
        target_level,
        target_level_rank,
        entity_filter_text,
        entity_filter_sql_duckdb,
        entity_filter_sql_postgres,
        start_date,
        due_date,
        owner_ref,
        channels,
        digest_cadence,
        digest_weekday,
        reminder_days,
        escalate_overdue,
        level_drop_alerts,
        definition_json,
        file,
        line,
        first_loaded_at
    from initiatives
)

select * from final
