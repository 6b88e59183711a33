with

relations as (
    {{ current_snapshot_rows(source_or_empty('raw_catalog', 'relations', {
        'snapshot_on': 'date',
        'source_ref': 'varchar',
        'relation': 'varchar',
        'target_ref': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_catalog__snapshots') }}
),

final as (
    select distinct
        snapshot_on,
        source_ref,
        relation,
        target_ref
    from relations
)

select * from final
