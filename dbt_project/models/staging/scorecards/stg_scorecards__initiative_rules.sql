with

initiative_rules as (
    {{ first_load_per_key(source_or_empty('raw_scorecards', 'initiative_rules', {
        'initiative_id': 'varchar',
        'definition_hash': 'varchar',
        'rule_id': 'varchar',
        'position': 'integer',
        '_dlt_load_id': 'varchar',
    }), ['initiative_id', 'definition_hash', 'rule_id']) }}
),

final as (
    select
        initiative_id,
        definition_hash,
        rule_id,
        position
    from initiative_rules
)

select * from final
