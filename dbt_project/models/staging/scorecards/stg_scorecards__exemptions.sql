with

exemptions as (
    {{ source_or_empty('raw_scorecards', 'exemptions', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'scorecard_id': 'varchar',
        'rule_id': 'varchar',
        'reason': 'varchar',
        'requested_by': 'varchar',
        'approved_by': 'varchar',
        'starts_on': 'date',
        'expires_on': 'date',
        'file': 'varchar',
        'line': 'integer',
        '_dlt_load_id': 'varchar',
    }) }}
),

latest_load as (
    select max(load_id) as load_id from {{ ref('stg_scorecards__snapshots') }}
),

final as (
    select
        exemptions.entity_ref,
        exemptions.scorecard_id,
        exemptions.rule_id,
        exemptions.reason,
        exemptions.requested_by,
        exemptions.approved_by,
        exemptions.starts_on,
        exemptions.expires_on,
        exemptions.file,
        exemptions.line
    from exemptions
    inner join latest_load on exemptions._dlt_load_id = latest_load.load_id
)

select * from final
