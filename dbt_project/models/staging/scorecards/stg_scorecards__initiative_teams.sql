with

initiative_teams as (
    {{ first_load_per_key(source_or_empty('raw_scorecards', 'initiative_teams', {
        'initiative_id': 'varchar',
        'definition_hash': 'varchar',
        'team_ref': 'varchar',
        '_dlt_load_id': 'varchar',
    }), ['initiative_id', 'definition_hash', 'team_ref']) }}
),

final as (
    select
        initiative_id,
        definition_hash,
        team_ref
    from initiative_teams
)

select * from final
