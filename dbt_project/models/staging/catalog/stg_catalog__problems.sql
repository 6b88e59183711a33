with

problems as (
    {{ catalog_snapshot_rows('problems', {
        'snapshot_on': 'date',
        'file': 'varchar',
        'document_index': 'integer',
        'line': 'integer',
        'entity_ref': 'varchar',
        'severity': 'varchar',
        'problem': 'varchar',
        'message': 'varchar',
        'hint': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

final as (
    select
        snapshot_on,
        provider,
        file,
        document_index,
        line,
        entity_ref,
        severity,
        problem,
        message,
        hint
    from problems
)

select * from final
