with

links as (
    {{ current_snapshot_rows(source_or_empty('raw_catalog', 'links', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'link_type': 'varchar',
        'url': 'varchar',
        'title': 'varchar',
        '_dlt_load_id': 'varchar',
    }), 'stg_catalog__snapshots') }}
),

final as (
    select
        snapshot_on,
        entity_ref,
        link_type,
        url,
        title
    from links
)

select * from final
