with

levels as (
    {{ first_load_per_key(source_or_empty('raw_scorecards', 'levels', {
        'scorecard_id': 'varchar',
        'definition_hash': 'varchar',
        'level': 'varchar',
        'level_rank': 'integer',
        'description': 'varchar',
        '_dlt_load_id': 'varchar',
    }), ['scorecard_id', 'definition_hash', 'level']) }}
),

final as (
    select
        scorecard_id,
        definition_hash,
        level,
        level_rank,
        description
    from levels
)

select * from final
